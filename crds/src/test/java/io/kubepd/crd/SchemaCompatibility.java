package io.kubepd.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Lists the changes from a pinned CRD to a generated one that would break stored objects or clients. */
final class SchemaCompatibility {
  private SchemaCompatibility() {}

  static List<String> breakingChanges(CustomResourceDefinition pinned, CustomResourceDefinition current) {
    List<String> problems = new ArrayList<>();
    if (!Objects.equals(pinned.getSpec().getScope(), current.getSpec().getScope())) {
      problems.add("scope changed from " + pinned.getSpec().getScope() + " to " + current.getSpec().getScope());
    }
    for (CustomResourceDefinitionVersion old : pinned.getSpec().getVersions()) {
      CustomResourceDefinitionVersion now = current.getSpec().getVersions().stream()
          .filter(v -> v.getName().equals(old.getName()))
          .findFirst()
          .orElse(null);
      if (now == null) {
        problems.add("version " + old.getName() + " removed");
        continue;
      }
      compare(old.getSchema().getOpenAPIV3Schema(), now.getSchema().getOpenAPIV3Schema(), old.getName(), problems);
    }
    return problems;
  }

  private static void compare(JSONSchemaProps old, JSONSchemaProps now, String path, List<String> problems) {
    if (!Objects.equals(old.getType(), now.getType())) {
      problems.add(path + " retyped from " + old.getType() + " to " + now.getType());
      return;
    }
    Map<String, JSONSchemaProps> oldProperties = old.getProperties() == null ? Map.of() : old.getProperties();
    Map<String, JSONSchemaProps> newProperties = now.getProperties() == null ? Map.of() : now.getProperties();
    oldProperties.forEach((name, schema) -> {
      JSONSchemaProps replacement = newProperties.get(name);
      if (replacement == null) {
        problems.add(path + "." + name + " removed");
      } else {
        compare(schema, replacement, path + "." + name, problems);
      }
    });
    if (old.getItems() != null && old.getItems().getSchema() != null) {
      if (now.getItems() == null || now.getItems().getSchema() == null) {
        problems.add(path + "[] item schema removed");
      } else {
        compare(old.getItems().getSchema(), now.getItems().getSchema(), path + "[]", problems);
      }
    }
  }
}
