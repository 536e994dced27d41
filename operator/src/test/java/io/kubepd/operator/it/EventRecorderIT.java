package io.kubepd.operator.it;

import static io.kubepd.operator.it.Cluster.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubepd.operator.status.EventRecorder;
import io.kubepd.testkit.kube.KubeApiServerExtension;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events leave at a bounded rate, warnings first, and what does not fit is dropped and counted. */
class EventRecorderIT {
  @RegisterExtension
  static final KubeApiServerExtension API = new KubeApiServerExtension();

  @Test
  void warningsGoFirstAndOverflowIsCounted() {
    KubernetesClient client = API.client();
    ConfigMap object = client.resource(new ConfigMapBuilder().withNewMetadata().withName("subject")
        .withNamespace("default").endMetadata().build()).create();
    try (EventRecorder events = new EventRecorder(client, "default", "kubepd-operator", "test", Clock.systemUTC(), 10,
        3)) {
      for (int i = 1; i <= 5; i++) {
        events.record(object, EventRecorder.NORMAL, "Normal" + i, "normal " + i);
      }
      events.record(object, EventRecorder.WARNING, "Warning1", "warning 1");
      events.record(object, EventRecorder.WARNING, "Warning2", "warning 2");
      assertThat(events.dropped()).as("normal 4 and 5 did not fit").isEqualTo(2);
      awaitTrue(() -> events.sent() == 5);
    }
    List<Event> written = client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "subject".equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
        .toList();
    assertThat(written).extracting(Event::getReason)
        .containsExactly("Warning1", "Warning2", "Normal1", "Normal2", "Normal3");
    assertThat(written.get(0).getType()).isEqualTo("Warning");
    assertThat(written.get(0).getSource().getComponent()).isEqualTo("kubepd-operator");
    assertThat(written.get(0).getReportingInstance()).isEqualTo("test");
    assertThat(written.get(0).getInvolvedObject().getUid()).isEqualTo(object.getMetadata().getUid());
  }
}
