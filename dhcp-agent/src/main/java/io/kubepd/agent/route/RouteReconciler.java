package io.kubepd.agent.route;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the node's kubepd routes at the plan the agent was last given: each reconcile reads the routes of kubepd's
 * protocol, diffs them against the routes of the plan still active (draining routes go at their {@code expiresAt}),
 * and applies the difference make-before-break ({@link RouteDiff}). Idempotent: reconciling twice changes nothing.
 *
 * <p>Two named timers keep the plan true without a new lease: {@value #RESYNC_TIMER} every resync period restores
 * routes someone deleted and removes stale routes of kubepd's protocol, and {@value #EXPIRY_TIMER} fires when the
 * next draining route expires. Until the first {@link #apply}, the timers leave the routes alone: routes kept from the
 * previous run stay until the agent knows its plan again.
 *
 * <pre>{@code
 * RouteReconciler routes = RouteReconciler.builder(IpRouteTable.system()).build();
 * routes.start();
 * routes.apply(RoutePlan.fromStatus(lease.getStatus().getRoutes()));   // on every lease status change
 * routes.apply(RoutePlan.empty());                                       // lease expired: withdraw all
 * routes.close();                                                        // keeps the routes unless configured
 * }</pre>
 */
public final class RouteReconciler implements AutoCloseable {
  /** Default resync period: a route deleted by hand is back within it. */
  public static final Duration DEFAULT_RESYNC_PERIOD = Duration.ofSeconds(30);
  static final String RESYNC_TIMER = "route-resync";
  static final String EXPIRY_TIMER = "route-expiry";

  private static final Logger LOG = LoggerFactory.getLogger(RouteReconciler.class);

  private final RouteTable table;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Duration resyncPeriod;
  private final boolean keepRoutesOnExit;

  private RoutePlan plan;
  private ScheduledFuture<?> resyncTimer;
  private ScheduledFuture<?> expiryTimer;
  private boolean closed;

  private RouteReconciler(Builder builder) {
    this.table = builder.table;
    this.clock = builder.clock;
    this.ownsScheduler = builder.scheduler == null;
    this.scheduler = ownsScheduler
        ? Executors.newSingleThreadScheduledExecutor(r -> {
          Thread thread = new Thread(r, "kubepd-routes");
          thread.setDaemon(true);
          return thread;
        })
        : builder.scheduler;
    this.resyncPeriod = builder.resyncPeriod;
    this.keepRoutesOnExit = builder.keepRoutesOnExit;
  }

  public static Builder builder(RouteTable table) {
    return new Builder(table);
  }

  /** Starts the {@value #RESYNC_TIMER} timer; the {@value #EXPIRY_TIMER} timer follows each reconcile from now on. */
  public synchronized void start() {
    requireOpen();
    if (resyncTimer != null) {
      return;
    }
    long period = resyncPeriod.toNanos();
    resyncTimer = scheduler.scheduleWithFixedDelay(() -> onTimer(RESYNC_TIMER), period, period, TimeUnit.NANOSECONDS);
    LOG.info("timer {} started: every {} on {}", RESYNC_TIMER, resyncPeriod, table);
    if (plan != null) {
      scheduleExpiry(clock.instant());
    }
  }

  /**
   * Makes {@code plan} the node's plan and reconciles at once.
   *
   * @throws RouteException when the routes cannot be read at all (iproute2 missing, no such namespace)
   */
  public synchronized ReconcileResult apply(RoutePlan plan) {
    requireOpen();
    this.plan = Objects.requireNonNull(plan, "plan");
    plan.rejected().forEach(r -> LOG.warn("route plan: {}", r));
    return reconcile("apply");
  }

  /** Reconciles against the current plan now; empty before the first {@link #apply}. */
  public synchronized Optional<ReconcileResult> resync() {
    requireOpen();
    return plan == null ? Optional.empty() : Optional.of(reconcile("resync"));
  }

  /** Deletes every route of kubepd's protocol, whatever the plan; the plan becomes empty. */
  public synchronized ReconcileResult flush() {
    requireOpen();
    plan = RoutePlan.empty();
    return reconcile("flush");
  }

  /** Stops both timers; then flushes the routes unless they are to be kept on exit. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    cancel(resyncTimer);
    cancel(expiryTimer);
    try {
      if (!keepRoutesOnExit) {
        flush();
      } else {
        LOG.info("keeping kubepd routes on exit");
      }
    } catch (RouteException e) {
      LOG.warn("cannot flush kubepd routes on exit: {}", e.getMessage());
    } finally {
      closed = true;
      if (ownsScheduler) {
        scheduler.shutdownNow();
      }
    }
  }

  private void onTimer(String timer) {
    synchronized (this) {
      if (closed || plan == null) {
        return;
      }
      // A failing run must not end the schedule (an exception would cancel it); the next run tries again.
      try {
        reconcile(timer);
      } catch (RouteException e) {
        LOG.warn("timer {}: {}", timer, e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("timer {}: unexpected failure", timer, e);
      }
    }
  }

  private ReconcileResult reconcile(String cause) {
    Instant now = clock.instant();
    RouteDiff diff = RouteDiff.between(plan.activeAt(now), table.owned());
    Map<RouteChange, String> failed = table.apply(diff.changes());

    int added = 0;
    int replaced = 0;
    int removed = 0;
    for (RouteChange change : diff.changes()) {
      String error = failed.get(change);
      if (error != null) {
        LOG.warn("{}: cannot {}: {}", cause, change, error);
        continue;
      }
      LOG.info("{}: {}", cause, change);
      switch (change.operation()) {
        case ADD -> added++;
        case REPLACE -> replaced++;
        case DELETE -> removed++;
      }
    }
    List<RouteFailure> failures = new ArrayList<>(plan.rejected());
    failures.addAll(diff.conflicts());
    failed.forEach((change, error) -> failures.add(new RouteFailure(change.toString(), error)));
    ReconcileResult result =
        new ReconcileResult(added, replaced, removed, diff.unchanged(), plan.expiredAt(now), failures);
    if (!result.noop() || !result.ok()) {
      LOG.info("{}: {}", cause, result);
    } else {
      LOG.debug("{}: {}", cause, result);
    }
    scheduleExpiry(now);
    return result;
  }

  private void scheduleExpiry(Instant now) {
    if (resyncTimer == null || closed) {
      return;
    }
    cancel(expiryTimer);
    expiryTimer = null;
    plan.nextExpiryAfter(now).ifPresent(at -> {
      long delay = Duration.between(now, at).toNanos();
      expiryTimer = scheduler.schedule(() -> onTimer(EXPIRY_TIMER), delay, TimeUnit.NANOSECONDS);
      LOG.debug("timer {} set for {}", EXPIRY_TIMER, at);
    });
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("route reconciler is closed");
    }
  }

  /** Settings of a {@link RouteReconciler}; defaults: system clock, own scheduler thread, 30 s resync, keep on exit. */
  public static final class Builder {
    private final RouteTable table;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private Duration resyncPeriod = DEFAULT_RESYNC_PERIOD;
    private boolean keepRoutesOnExit = true;

    private Builder(RouteTable table) {
      this.table = Objects.requireNonNull(table, "table");
    }

    /** The wall clock {@code expiresAt} is compared with. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs the timers; the caller keeps ownership. Without one the reconciler uses (and stops) its own thread. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    public Builder resyncPeriod(Duration period) {
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("the route resync period must be positive, not " + period);
      }
      this.resyncPeriod = period;
      return this;
    }

    /**
     * True (default): routes stay when the agent stops, so pods keep being reachable across agent restarts and
     * upgrades. False: {@link #close()} deletes every route of kubepd's protocol.
     */
    public Builder keepRoutesOnExit(boolean keep) {
      this.keepRoutesOnExit = keep;
      return this;
    }

    public RouteReconciler build() {
      return new RouteReconciler(this);
    }
  }
}
