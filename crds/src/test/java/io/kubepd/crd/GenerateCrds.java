package io.kubepd.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.kubepd.crd.v1alpha1.DelegationPolicy;
import io.kubepd.crd.v1alpha1.PrefixLease;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Build step: writes the CRD YAML of the kubepd resources with fabric8's generator. Runs at process-test-classes
 * (see crds/pom.xml). fabric8 sorts printer columns by JSON path; kubectl prints them in CRD order, so a post-processor
 * restores the order the annotations are declared in.
 */
public final class GenerateCrds {
  static final List<Class<? extends HasMetadata>> RESOURCES = List.of(PrefixLease.class, DelegationPolicy.class);

  private GenerateCrds() {}

  public static void main(String[] args) {
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    int written = new CRDGenerator()
        .customResourceClasses(RESOURCES)
        .forCRDVersions("v1")
        .withPostProcessor(new CRDPostProcessor() {
          @Override
          public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            return inDeclaredColumnOrder(crd);
          }
        })
        .inOutputDir(out)
        .generate();
    System.out.println("kubepd: generated " + written + " CRDs into " + out);
  }

  private static HasMetadata inDeclaredColumnOrder(HasMetadata resource) {
    CustomResourceDefinition crd = (CustomResourceDefinition) resource;
    Class<?> type = RESOURCES.stream()
        .filter(c -> HasMetadata.getKind(c).equals(crd.getSpec().getNames().getKind()))
        .findFirst()
        .orElseThrow();
    List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .toList();
    crd.getSpec().getVersions().forEach(v -> {
      if (v.getAdditionalPrinterColumns() != null) {
        v.getAdditionalPrinterColumns().sort(Comparator.comparingInt(
            (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
      }
    });
    return crd;
  }
}
