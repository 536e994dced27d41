package io.kubepd.e2e;

import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.testkit.lab.Poll;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The local demo behind {@code ./demo.sh}: kubepd on one machine, then the proof that it works: the PrefixLeases as
 * kubectl shows them, and pings from the upstream router to random addresses of each node's pod CIDR, answered by
 * that node alone (AnyIP). Runs until Ctrl-C, or exits after the proof with {@code --once}.
 */
public final class Demo {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Demo() {}

  public static void main(String[] args) throws InterruptedException {
    boolean once = args.length > 0 && args[0].equals("--once");
    say("starting kubepd locally: a real kube-apiserver, Kea in a router namespace, the operator, two agents");
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Settings.defaults())) {
      say("logs of every process: " + cluster.lab().dir());
      try {
        show(cluster, once);
      } catch (RuntimeException e) {
        cluster.lab().keepFiles();
        say("FAILED: " + e.getMessage() + "; logs kept in " + cluster.lab().dir());
        throw e;
      }
    }
  }

  private static void show(LocalCluster cluster, boolean once) throws InterruptedException {
    {
      for (int node = 1; node <= 2; node++) {
        int index = node;
        say("waiting for " + cluster.nodeName(index) + " to get a prefix and a pod CIDR");
        Poll.until(Duration.ofSeconds(60), cluster.nodeName(index) + "'s lease Ready", () -> cluster.lease(index)
            .map(l -> l.getStatus() != null && l.getStatus().getPhase() == LeasePhase.Ready).orElse(false));
      }
      say("kubectl get prefixleases -o wide");
      System.out.println(cluster.api().kubectl("get", "prefixleases", "-o", "wide"));
      for (int node = 1; node <= 2; node++) {
        PrefixLease lease = cluster.lease(node).orElseThrow();
        String podCidr = lease.getStatus().getPodCIDRs().get(0);
        String address = randomAddressIn(podCidr);
        // The route plan reaches the node's kernel a moment after the status turns Ready.
        boolean answered = answersWithin(cluster, address, Duration.ofSeconds(10));
        say(String.format("router -> %s (random address in %s's pod CIDR %s): %s", address,
            cluster.nodeName(node), podCidr, answered ? "answered" : "NO ANSWER"));
        System.out.println(cluster.lab().router().exec("ping", "-6", "-c", "1", "-W", "2", address).stdout());
      }
      say("kubeconfig for your own kubectl: " + cluster.api().kubeconfig());
      if (!once) {
        say("running; press Ctrl-C to stop and clean up");
        // On Ctrl-C the JVM runs its shutdown hooks and halts: the cleanup must happen in the hook itself.
        CountDownLatch cleaned = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          cluster.close();
          say("stopped; namespaces deleted, processes ended");
          cleaned.countDown();
        }));
        cleaned.await();
      } else {
        say("done; stopping and cleaning up");
      }
    }
  }

  private static boolean answersWithin(LocalCluster cluster, String address, Duration timeout) {
    try {
      Poll.until(timeout, "answer from " + address, () -> cluster.lab().router().ping6(address));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A random address inside {@code cidr}, so the ping proves the whole prefix is answered, not one address. */
  static String randomAddressIn(String cidr) {
    int slash = cidr.indexOf('/');
    int length = Integer.parseInt(cidr.substring(slash + 1));
    try {
      BigInteger network = new BigInteger(1, InetAddress.getByName(cidr.substring(0, slash)).getAddress());
      BigInteger host = new BigInteger(128 - length, RANDOM);
      byte[] bytes = network.or(host).toByteArray();
      byte[] address = new byte[16];
      System.arraycopy(bytes, Math.max(0, bytes.length - 16), address, Math.max(0, 16 - bytes.length),
          Math.min(16, bytes.length));
      return InetAddress.getByAddress(address).getHostAddress().replaceAll("%.*", "");
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(cidr, e);
    }
  }

  private static void say(String message) {
    System.out.println("==> " + message);
  }
}
