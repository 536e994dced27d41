package io.kubepd.testkit.lab;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class LabAssumptionsTest {
  @Test
  void missingPrerequisiteSkipsLocallyButFailsOnCi() {
    Optional<String> problem = Optional.of("dhcpd not found");

    assertThatThrownBy(() -> LabAssumptions.require(problem, false))
        .isInstanceOf(TestAbortedException.class).hasMessageContaining("dhcpd not found");
    assertThatThrownBy(() -> LabAssumptions.require(problem, true))
        .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true").hasMessageContaining("dhcpd not found");
    assertThatCode(() -> LabAssumptions.require(Optional.empty(), true)).doesNotThrowAnyException();
  }

  @Test
  void findsDebianDaemonsInSbin() {
    assertThatCode(() -> LabAssumptions.findBinary("sh").orElseThrow()).doesNotThrowAnyException();
  }
}
