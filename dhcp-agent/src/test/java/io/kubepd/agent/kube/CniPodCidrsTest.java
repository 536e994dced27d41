package io.kubepd.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubepd.agent.cni.CniRangesWriter;
import io.kubepd.agent.cni.HostLocalRanges;
import io.kubepd.crd.v1alpha1.LeasePhase;
import io.kubepd.crd.v1alpha1.PrefixLease;
import io.kubepd.crd.v1alpha1.PrefixLeaseStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniPodCidrsTest {
    private static final String PREFIX = "2001:db8:0:100::/56";
    private static final String POD_CIDR = "2001:db8:0:100::/64";
    private static final String OTHER_PREFIX = "2001:db8:1:100::/56";
    private static final String OTHER_POD_CIDR = "2001:db8:1:100::/64";

    @TempDir
    Path dir;

    @Test
    void listsThePodCidrsOfReadyLeasesWhosePrefixIsHeldOldestLeaseFirst() {
        PrefixLease older = lease("node-a-eth1-1", "2026-11-27T10:00:00Z", LeasePhase.Ready, OTHER_PREFIX,
                OTHER_POD_CIDR);
        PrefixLease newer = lease("node-a-eth0-1", "2026-11-27T11:00:00Z", LeasePhase.Ready, PREFIX, POD_CIDR);
        PrefixLease notHeld = lease("node-a-eth2-1", "2026-11-27T09:00:00Z", LeasePhase.Ready,
                "2001:db8:2:100::/56", "2001:db8:2:100::/64");

        assertThat(CniPodCidrs.decide(List.of(newer, notHeld, older), List.of(PREFIX, OTHER_PREFIX)))
                .contains(List.of(OTHER_POD_CIDR, POD_CIDR));
    }

    @Test
    void keepsTheFileWhileAHeldPrefixWaitsForTheOperator() {
        PrefixLease staleVerdict = lease("node-a-eth0-1", "2026-11-27T10:00:00Z", LeasePhase.Expired, PREFIX, null);
        PrefixLease notPlannedYet = lease("node-a-eth0-1", "2026-11-27T10:00:00Z", null, null, null);
        PrefixLease pending = lease("node-a-eth0-1", "2026-11-27T10:00:00Z", LeasePhase.Pending, PREFIX, null);
        PrefixLease plannedForTheOldPrefix = lease("node-a-eth0-1", "2026-11-27T10:00:00Z", LeasePhase.Ready,
                "2001:db8:9:100::/56", "2001:db8:9:100::/64");

        assertThat(CniPodCidrs.decide(List.of(staleVerdict), List.of(PREFIX)))
                .as("an Expired verdict from a spec that lagged behind (API server outage)").isEmpty();
        assertThat(CniPodCidrs.decide(List.of(notPlannedYet), List.of(PREFIX))).as("no status yet").isEmpty();
        assertThat(CniPodCidrs.decide(List.of(pending), List.of(PREFIX))).as("Pending").isEmpty();
        assertThat(CniPodCidrs.decide(List.of(), List.of(PREFIX))).as("not reported yet").isEmpty();
        assertThat(CniPodCidrs.decide(List.of(plannedForTheOldPrefix), List.of(PREFIX)))
                .as("the status still plans a prefix the node no longer holds").isEmpty();
    }

    @Test
    void emptiesTheFileWhenTheNodeHoldsNoPrefix() {
        PrefixLease ready = lease("node-a-eth0-1", "2026-11-27T10:00:00Z", LeasePhase.Ready, PREFIX, POD_CIDR);

        assertThat(CniPodCidrs.decide(List.of(ready), List.of())).contains(List.of());
        assertThat(CniPodCidrs.decide(List.of(), List.of())).contains(List.of());
    }

    @Test
    void emptiesTheFileWhenTheOperatorDecidedAgainstEveryHeldPrefix() {
        PrefixLease conflict = lease("node-a-eth0-1", "2026-11-27T10:00:00Z", LeasePhase.Conflict, PREFIX, null);
        PrefixLease invalid = lease("node-a-eth1-1", "2026-11-27T10:00:00Z", LeasePhase.Invalid, OTHER_PREFIX, null);
        PrefixLease waiting = lease("node-a-eth1-1", "2026-11-27T10:00:00Z", LeasePhase.Pending, OTHER_PREFIX, null);

        assertThat(CniPodCidrs.decide(List.of(conflict, invalid), List.of(PREFIX, OTHER_PREFIX)))
                .as("as the routes, which follow a Conflict at once (RoutePlans)").contains(List.of());
        assertThat(CniPodCidrs.decide(List.of(conflict, waiting), List.of(PREFIX, OTHER_PREFIX)))
                .as("one held prefix still waits").isEmpty();
    }

    /** The file through an operator outage, the operator's return and the lease's end, as AgentRun writes it. */
    @Test
    void theFileKeepsItsRangesThroughAControlPlaneHiccupAndGoesWithThePrefix() throws IOException {
        Path target = dir.resolve("ranges.json");
        CniRangesWriter writer = CniRangesWriter.fragment(target);
        PrefixLease ready = lease("node-a-eth0-1", "2026-11-27T10:00:00Z", LeasePhase.Ready, PREFIX, POD_CIDR);
        PrefixLease staleVerdict = lease("node-a-eth0-1", "2026-11-27T10:00:00Z", LeasePhase.Expired, PREFIX, null);

        publish(writer, List.of(ready), List.of(PREFIX));
        String written = Files.readString(target);
        assertThat(written).contains(POD_CIDR);

        publish(writer, List.of(staleVerdict), List.of(PREFIX));
        assertThat(Files.readString(target)).as("kept while the prefix is held").isEqualTo(written);

        publish(writer, List.of(ready), List.of(PREFIX));
        assertThat(Files.readString(target)).isEqualTo(written);

        publish(writer, List.of(staleVerdict), List.of());
        assertThat(target).as("gone with the prefix").doesNotExist();
    }

    private static void publish(CniRangesWriter writer, List<PrefixLease> leases, Collection<String> held) {
        Optional<List<String>> podCidrs = CniPodCidrs.decide(leases, held);
        podCidrs.ifPresent(cidrs -> writer.write(HostLocalRanges.of(cidrs)));
    }

    private static PrefixLease lease(String name, String created, LeasePhase phase, String prefix, String podCidr) {
        PrefixLease lease = new PrefixLease();
        lease.setMetadata(new ObjectMetaBuilder().withName(name).withCreationTimestamp(created).build());
        lease.getSpec().setDelegatedPrefix(prefix);
        if (phase == null) {
            lease.setStatus(null);
            return lease;
        }
        PrefixLeaseStatus status = new PrefixLeaseStatus();
        status.setPhase(phase);
        status.setDelegatedPrefix(prefix);
        status.setPodCIDRs(podCidr == null ? List.of() : List.of(podCidr));
        lease.setStatus(status);
        return lease;
    }
}
