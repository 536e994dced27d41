package io.kubepd.testkit.lab;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One IPv6 route as {@code ip -6 -json route show table all} prints it.
 *
 * @param destination {@code default}, an address or a prefix such as {@code 2001:db8:100::/60}
 * @param table {@code main} when ip omits it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Route(
    @JsonProperty("dst") String destination,
    @JsonProperty("gateway") String gateway,
    @JsonProperty("dev") String device,
    @JsonProperty("table") String table,
    @JsonProperty("protocol") String protocol,
    @JsonProperty("type") String type,
    @JsonProperty("metric") Long metric) {

  public Route {
    table = table == null ? "main" : table;
  }
}
