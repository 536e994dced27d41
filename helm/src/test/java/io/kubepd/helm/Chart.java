package io.kubepd.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The chart under test and a way to render it into typed objects. */
final class Chart {
  static final Path DIR = Path.of("kubepd").toAbsolutePath();

  private Chart() {}

  static Helm helm() {
    return new Helm(DIR);
  }

  /** Renders the chart with the given --set values and parses every document. */
  static List<HasMetadata> render(Map<String, Object> values) {
    return render(t -> {
      values.forEach(t::set);
      return t;
    });
  }

  static List<HasMetadata> render(UnaryOperator<TemplateCommand> options) {
    String manifest = options.apply(helm().template().withName("kubepd").withNamespace("kubepd-system")).call();
    return Arrays.stream(manifest.split("(?m)^---\\s*$"))
        .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
        .map(doc -> (HasMetadata) Serialization.unmarshal(doc))
        .toList();
  }

  static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + names(objects)));
  }

  static GenericKubernetesResource findGeneric(List<HasMetadata> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> o instanceof GenericKubernetesResource && o.getKind().equals(kind))
        .map(GenericKubernetesResource.class::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + names(objects)));
  }

  static List<String> names(List<HasMetadata> objects) {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }
}
