package io.telebridge.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the modules, checked on the compiled main classes of every module (this module
 * has them all on its classpath), so {@code mvn verify} fails on a wrong-way import. Maven's
 * dependencies already keep most of it (shared/core's enforcer rule: JDK only); these rules also hold
 * where a dependency exists for another reason (shared/aws uses the matcher's ports, not the matcher).
 * Jars are imported too: under {@code mvn verify} the reactor puts the modules' packaged jars on the
 * classpath, not their {@code target/classes} (only {@code io.telebridge} is imported, so no third party).
 *
 * <pre>
 *   core  <-  json, hl7v2, matching, fhir  <-  aws  <-  functions, mllp-bridge  <-  local (dev only)
 * </pre>
 */
class LayeringTest {

  private static final String[] FUNCTIONS = {
      "io.telebridge.intake..", "io.telebridge.toehr..", "io.telebridge.fromehr..", "io.telebridge.delivery.."};

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.telebridge");
  }

  @Test
  void theImportedClassesCoverEveryModule() {
    for (String module : new String[] {"io.telebridge.core.model.EventType", "io.telebridge.json.PlatformEventReader",
        "io.telebridge.hl7v2.EhrProfile", "io.telebridge.matching.mpi.MatcherWiring", "io.telebridge.aws.SqsFifoBatch",
        "io.telebridge.intake.IntakeHandler", "io.telebridge.toehr.ToEhrTranslatorHandler",
        "io.telebridge.fromehr.FromEhrTranslatorHandler", "io.telebridge.delivery.PlatformDeliveryHandler",
        "io.telebridge.mllp.MllpBridgeService", "io.telebridge.local.LocalStack"}) {
      if (!main.contain(module)) {
        throw new AssertionError("the layering rules did not see " + module + " (imported " + main.size() + " classes)");
      }
    }
  }

  @Test
  void theCoreDependsOnNoOtherModule() {
    noClasses().that().resideInAPackage("io.telebridge.core..")
        .should().dependOnClassesThat().resideInAnyPackage("io.telebridge.json..", "io.telebridge.hl7v2..",
            "io.telebridge.matching..", "io.telebridge.fhir..", "io.telebridge.aws..", "io.telebridge.mllp..",
            "io.telebridge.local..", "software.amazon..", "com.amazonaws..", "ca.uhn..", "tools.jackson..")
        .check(main);
  }

  @Test
  void theFormatAndMatchingModulesDoNotReachIntoAws() {
    noClasses().that().resideInAnyPackage("io.telebridge.hl7v2..", "io.telebridge.json..", "io.telebridge.matching..")
        .should().dependOnClassesThat().resideInAnyPackage("io.telebridge.aws..", "software.amazon..",
            "com.amazonaws..")
        .check(main);
  }

  @Test
  void theAwsAdaptersProvideTheMatchersPortsButNeverWireTheMatcher() {
    noClasses().that().resideInAPackage("io.telebridge.aws..")
        .should().dependOnClassesThat().haveSimpleNameStartingWith("Matching")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("io.telebridge.matching.mpi.MatcherWiring")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("io.telebridge.matching.PatientMatcher")
        .check(main);
  }

  @Test
  void onlyTheLocalToolingDependsOnTheLocalStack() {
    noClasses().that().resideOutsideOfPackage("io.telebridge.local..")
        .should().dependOnClassesThat().resideInAPackage("io.telebridge.local..")
        .check(main);
  }

  @Test
  void functionsDependOnNoOtherFunctionNorOnTheBridge() {
    for (String function : FUNCTIONS) {
      noClasses().that().resideInAPackage(function)
          .should().dependOnClassesThat().resideInAnyPackage(others(function))
          .check(main);
    }
  }

  @Test
  void theBridgesPackagesHaveNoCycles() {
    slices().matching("io.telebridge.mllp.(*)..").should().beFreeOfCycles().check(main);
  }

  private static String[] others(String function) {
    java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of("io.telebridge.mllp.."));
    for (String f : FUNCTIONS) {
      if (!f.equals(function)) {
        out.add(f);
      }
    }
    return out.toArray(String[]::new);
  }
}
