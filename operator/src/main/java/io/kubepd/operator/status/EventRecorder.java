package io.kubepd.operator.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes Events (core/v1) where users look: on PrefixLeases and Nodes. Events leave through bounded
 * queues at a bounded rate from one background timer, so a burst of thousands of allocations neither slows
 * reconciliation nor competes with it for the API server. Warnings queue apart and go first; when a queue is full
 * the event is dropped and counted, as client-go's broadcaster does.
 */
public final class EventRecorder implements AutoCloseable {
  /** Event type for things that went as they should. */
  public static final String NORMAL = "Normal";
  /** Event type for things a user should look at. */
  public static final String WARNING = "Warning";

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MESSAGE_LIMIT = 1024;
  private static final int NAME_LIMIT = 200;
  private static final long TICK_MILLIS = 100;

  private final KubernetesClient client;
  private final String namespace;
  private final String component;
  private final String instance;
  private final Clock clock;
  private final int perTick;
  private final BlockingQueue<Event> warnings;
  private final BlockingQueue<Event> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private final ScheduledExecutorService sender;
  private volatile boolean closed;

  /**
   * @param namespace where events of cluster-scoped objects go ({@code default}, as for Node events)
   * @param component the reporting component, e.g. kubepd-operator
   * @param instance this replica's identity
   * @param perSecond most events written per second
   * @param capacity most events of each type waiting; more are dropped
   */
  public EventRecorder(KubernetesClient client, String namespace, String component, String instance, Clock clock,
      int perSecond, int capacity) {
    this.client = client;
    this.namespace = namespace;
    this.component = component;
    this.instance = instance;
    this.clock = clock;
    this.perTick = Math.max(1, (int) (perSecond * TICK_MILLIS / 1000));
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.warnings = new ArrayBlockingQueue<>(capacity);
    this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kubepd-events");
      t.setDaemon(true);
      return t;
    });
    sender.scheduleWithFixedDelay(this::sendSome, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }
  /** Records an event of {@code type} on {@code object}. */
  public void record(HasMetadata object, String type, String reason, String message) {
    Instant now = clock.instant();
    String time = Timestamps.format(Timestamps.condition(now));
    // client-go names events <object>.<unix nanos in hex>; the sequence keeps two events in one clock tick apart.
    String objectName = object.getMetadata().getName();
    String name = objectName.substring(0, Math.min(objectName.length(), NAME_LIMIT)) + "."
        + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano())
        + Long.toHexString(sequence.incrementAndGet() & 0xfff);
    var event = new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(object.getApiVersion())
            .withKind(object.getKind())
            .withName(object.getMetadata().getName())
            .withNamespace(object.getMetadata().getNamespace())
            .withUid(object.getMetadata().getUid())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message.length() > MESSAGE_LIMIT ? message.substring(0, MESSAGE_LIMIT) : message)
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .withNewSource().withComponent(component).endSource()
        .withReportingComponent(component)
        .withReportingInstance(instance)
        .build();
    if (closed || !(WARNING.equals(type) ? warnings : queue).offer(event)) {
      dropped.incrementAndGet();
      log.debug("event dropped object={} reason={}", object.getMetadata().getName(), reason);
    }
  }

  /** Events dropped because the queue was full or the recorder closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Events written. */
  public long sent() {
    return sent.get();
  }

  private void sendSome() {
    for (int i = 0; i < perTick; i++) {
      Event event = warnings.poll();
      if (event == null) {
        event = queue.poll();
      }
      if (event == null) {
        return;
      }
      try {
        client.v1().events().inNamespace(namespace).resource(event).create();
        sent.incrementAndGet();
      } catch (KubernetesClientException e) {
        dropped.incrementAndGet();
        log.warn("event not written object={} reason={} code={} error={}", event.getInvolvedObject().getName(),
            event.getReason(), e.getCode(), e.getMessage());
      }
    }
  }

  /** Sends what is queued (for a few seconds at most, unthrottled), then stops. */
  @Override
  public void close() {
    closed = true;
    sender.shutdown();
    try {
      if (sender.awaitTermination(5, TimeUnit.SECONDS)) {
        Instant deadline = clock.instant().plusSeconds(5);
        while (!(queue.isEmpty() && warnings.isEmpty()) && clock.instant().isBefore(deadline)) {
          sendSome();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dropped.addAndGet(queue.size() + warnings.size());
    queue.clear();
    warnings.clear();
  }
}
