package io.kubepd.testkit.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs one real API server for a test class. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class KubeApiServerExtension implements BeforeAllCallback, AfterAllCallback {
  private KubeApiServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = KubeApiServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  public KubeApiServer server() {
    return server;
  }

  public KubernetesClient client() {
    return server.client();
  }
}
