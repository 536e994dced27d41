package io.kubepd.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CrdCompatibilityTest {

  @Test
  void generatedCrdsKeepEveryPinnedFieldWithItsType() {
    var pinned = GeneratedCrds.files(GeneratedCrds.PINNED);
    assertThat(pinned).hasSize(2);
    for (Path file : pinned) {
      CustomResourceDefinition current = GeneratedCrds.read(GeneratedCrds.GENERATED.resolve(file.getFileName()));
      assertThat(SchemaCompatibility.breakingChanges(GeneratedCrds.read(file), current))
          .as("%s: fields removed or retyped against the pinned CRD; add fields instead, or start a new API "
              + "version (scripts/update-crds.sh --pin re-pins)", file.getFileName())
          .isEmpty();
    }
  }

  @Test
  void detectsARemovedField() {
    CustomResourceDefinition pinned = prefixLease();
    CustomResourceDefinition current = prefixLease();
    spec(current).getProperties().remove("delegatedPrefix");

    assertThat(SchemaCompatibility.breakingChanges(pinned, current))
        .containsExactly("v1alpha1.spec.delegatedPrefix removed");
  }

  @Test
  void detectsARetypedNestedField() {
    CustomResourceDefinition pinned = prefixLease();
    CustomResourceDefinition current = prefixLease();
    spec(current).getProperties().get("deprecatedPrefixes").getItems().getSchema()
        .getProperties().get("prefix").setType("integer");

    assertThat(SchemaCompatibility.breakingChanges(pinned, current))
        .containsExactly("v1alpha1.spec.deprecatedPrefixes[].prefix retyped from string to integer");
  }

  @Test
  void acceptsAnAddedField() {
    CustomResourceDefinition pinned = prefixLease();
    CustomResourceDefinition current = prefixLease();
    spec(current).getProperties().put("newField", new JSONSchemaProps());
    spec(current).getProperties().get("newField").setType("string");

    assertThat(SchemaCompatibility.breakingChanges(pinned, current)).isEmpty();
  }

  private static CustomResourceDefinition prefixLease() {
    return GeneratedCrds.read(GeneratedCrds.GENERATED.resolve("prefixleases.kubepd.io-v1.yml"));
  }

  private static JSONSchemaProps spec(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }
}
