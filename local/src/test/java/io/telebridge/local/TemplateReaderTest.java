package io.telebridge.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.telebridge.local.template.CfnYaml;
import io.telebridge.local.template.Parameters;
import io.telebridge.local.template.StackResolver;
import io.telebridge.local.template.Template;
import io.telebridge.local.template.TemplateException;
import io.telebridge.local.template.TemplateResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateReaderTest {

  private static final String TEMPLATE = """
      Parameters:
        Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}
        Topic: {Type: String, Default: ''}
        Zones: {Type: CommaDelimitedList, Default: 'a,b,c'}
        Retries: {Type: Number, Default: 5, MinValue: 1, MaxValue: 10}
        SecretArn: {Type: String}
      Mappings:
        Sizes:
          dev: {memory: 512}
          prod: {memory: 2048}
      Conditions:
        IsProd: !Equals [!Ref Stage, prod]
        HasTopic: !Not [!Equals [!Ref Topic, '']]
        ProdWithTopic: !And [!Condition IsProd, !Condition HasTopic]
      Globals:
        Function:
          Timeout: 10
          MemorySize: !FindInMap [Sizes, !Ref Stage, memory]
          Layers: [global-layer]
          Environment:
            Variables:
              STAGE: !Ref Stage
              SHARED: global
      Resources:
        Queue:
          Type: AWS::SQS::Queue
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Timeout: 30
            Layers: [own-layer]
            Environment:
              Variables:
                SHARED: own
                QUEUE: !Ref Queue
                QUEUE_ARN: !GetAtt Queue.Arn
                QUEUE_NAME: !GetAtt [Queue, QueueName]
                LOGS: !Sub /${AWS::StackName}/${Stage}/${AWS::Region}/${Queue.QueueName}
                LITERAL: !Sub '${!NotAVariable}-${AWS::Partition}'
                JOINED: !Join ['-', [!Ref Stage, !Select [1, !Ref Zones]]]
                SPLIT: !Select [2, !Split [',', 'x,y,z']]
                RETRIES: !Ref Retries
                TOPIC: !If [HasTopic, !Ref Topic, !Ref 'AWS::NoValue']
                MODE: !If [ProdWithTopic, loud, quiet]
                ACCOUNT: !Sub
                  - '${AWS::AccountId}:${Name}'
                  - Name: !Ref Stage
        ProdOnly:
          Type: AWS::SNS::Topic
          Condition: IsProd
      """;

  private static StackResolver resolver(Template t, Map<String, String> overrides) {
    Map<String, String> values = Parameters.resolve(t, overrides, name -> name.endsWith("SecretArn")
        ? "arn:aws:secretsmanager:us-east-1:000000000000:secret:x" : null);
    StackResolver r = new StackResolver(t, "telebridge-local", values, Map.of());
    r.register("Queue", "http://127.0.0.1:9324/000000000000/Queue",
        Map.of("Arn", "arn:aws:sqs:us-east-1:000000000000:Queue", "QueueName", "Queue"));
    return r;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> environment(StackResolver r) {
    TemplateResource fn = r.template().resource("Fn");
    Map<String, Object> env = (Map<String, Object>) fn.properties().get("Environment");
    return (Map<String, Object>) r.resolve(env.get("Variables"));
  }

  @Test
  void shortFormTagsBecomeTheLongFormIntrinsics() {
    Object parsed = CfnYaml.read("""
        a: !Ref X
        b: !GetAtt Res.Arn
        c: !GetAtt [Res, Attr.Nested]
        d: !Sub 'x-${Y}'
        e: !If [Cond, 1, 2]
        f: !Equals [a, b]
        g: !Condition C
        h: !ImportValue shared-name
        i: !Join ['', [a, !Ref Z]]
        j: !GetAtt Res.Attr.Nested
        k: 'quoted 10'
        l: 10
        m: true
        """);
    assertEquals(Map.of("Ref", "X"), ((Map<?, ?>) parsed).get("a"));
    assertEquals(Map.of("Fn::GetAtt", List.of("Res", "Arn")), ((Map<?, ?>) parsed).get("b"));
    assertEquals(Map.of("Fn::GetAtt", List.of("Res", "Attr.Nested")), ((Map<?, ?>) parsed).get("c"));
    assertEquals(Map.of("Fn::Sub", "x-${Y}"), ((Map<?, ?>) parsed).get("d"));
    assertEquals(Map.of("Fn::If", List.of("Cond", 1L, 2L)), ((Map<?, ?>) parsed).get("e"));
    assertEquals(Map.of("Fn::Equals", List.of("a", "b")), ((Map<?, ?>) parsed).get("f"));
    assertEquals(Map.of("Condition", "C"), ((Map<?, ?>) parsed).get("g"));
    assertEquals(Map.of("Fn::ImportValue", "shared-name"), ((Map<?, ?>) parsed).get("h"));
    assertEquals(Map.of("Fn::Join", List.of("", List.of("a", Map.of("Ref", "Z")))), ((Map<?, ?>) parsed).get("i"));
    assertEquals(Map.of("Fn::GetAtt", List.of("Res", "Attr.Nested")), ((Map<?, ?>) parsed).get("j"));
    assertEquals("quoted 10", ((Map<?, ?>) parsed).get("k"));
    assertEquals(10L, ((Map<?, ?>) parsed).get("l"));
    assertEquals(true, ((Map<?, ?>) parsed).get("m"));
  }

  @Test
  void subResolvesPseudoParametersParametersAttributesAndEscapes() {
    Map<String, Object> env = environment(resolver(Template.parse(TEMPLATE), Map.of()));
    assertEquals("/telebridge-local/dev/us-east-1/Queue", env.get("LOGS"));
    assertEquals("${NotAVariable}-aws", env.get("LITERAL"));
    assertEquals("000000000000:dev", env.get("ACCOUNT"));
    assertEquals("http://127.0.0.1:9324/000000000000/Queue", env.get("QUEUE"));
    assertEquals("arn:aws:sqs:us-east-1:000000000000:Queue", env.get("QUEUE_ARN"));
    assertEquals("Queue", env.get("QUEUE_NAME"));
    assertEquals("dev-b", env.get("JOINED"));
    assertEquals("z", env.get("SPLIT"));
    assertEquals("5", env.get("RETRIES"));
  }

  @Test
  void globalsAreMergedIntoEachFunctionAsSamDoes() {
    TemplateResource fn = Template.parse(TEMPLATE).resource("Fn");
    assertEquals(30L, fn.properties().get("Timeout"), "the function's scalar wins");
    assertEquals(List.of("global-layer", "own-layer"), fn.properties().get("Layers"), "lists are concatenated");
    assertEquals(Map.of("Fn::FindInMap", List.of("Sizes", Map.of("Ref", "Stage"), "memory")),
        fn.properties().get("MemorySize"), "a global the function lacks is taken");
    Map<String, Object> env = environment(resolver(Template.parse(TEMPLATE), Map.of()));
    assertEquals("dev", env.get("STAGE"), "global variables are merged in");
    assertEquals("own", env.get("SHARED"), "the function's variable wins");
  }

  @Test
  void conditionsDriveIfAndNoValueRemovesTheKey() {
    StackResolver dev = resolver(Template.parse(TEMPLATE), Map.of());
    Map<String, Object> env = environment(dev);
    assertFalse(env.containsKey("TOPIC"), "AWS::NoValue removes the variable");
    assertEquals("quiet", env.get("MODE"));
    assertFalse(dev.included(dev.template().resource("ProdOnly")));

    StackResolver prod = resolver(Template.parse(TEMPLATE),
        Map.of("Stage", "prod", "Topic", "arn:aws:sns:us-east-1:000000000000:alerts"));
    Map<String, Object> prodEnv = environment(prod);
    assertEquals("arn:aws:sns:us-east-1:000000000000:alerts", prodEnv.get("TOPIC"));
    assertEquals("loud", prodEnv.get("MODE"));
    assertTrue(prod.included(prod.template().resource("ProdOnly")));
    assertEquals(2048L, prod.resolve(prod.template().resource("Fn").properties().get("MemorySize")));
  }

  @Test
  void parametersAreCheckedAgainstTheirConstraints() {
    Template t = Template.parse(TEMPLATE);
    assertThrows(TemplateException.class, () -> resolver(t, Map.of("Stage", "qa")));
    assertThrows(TemplateException.class, () -> resolver(t, Map.of("Retries", "11")));
    assertThrows(TemplateException.class, () -> resolver(t, Map.of("Nope", "1")));
    TemplateException missing = assertThrows(TemplateException.class,
        () -> Parameters.resolve(t, Map.of(), name -> null));
    assertTrue(missing.getMessage().contains("SecretArn"), missing.getMessage());
  }

  @Test
  void referencesToUnknownNamesFailWithTheName() {
    StackResolver r = resolver(Template.parse(TEMPLATE), Map.of());
    TemplateException e = assertThrows(TemplateException.class, () -> r.resolve(Map.of("Ref", "Nowhere")));
    assertTrue(e.getMessage().contains("Nowhere"));
    TemplateException att = assertThrows(TemplateException.class,
        () -> r.resolve(Map.of("Fn::GetAtt", List.of("Queue", "Colour"))));
    assertTrue(att.getMessage().contains("Colour"));
  }

  @Test
  void readsTheProjectTemplateWithEveryFunctionHandlerAndQueue() throws Exception {
    Path root = RepoRoot.find(Path.of("")).orElseThrow();
    Template t = Template.load(root.resolve("template.yaml"));
    assertFalse(t.resourcesOfType("AWS::Serverless::Function").isEmpty());
    for (TemplateResource fn : t.resourcesOfType("AWS::Serverless::Function")) {
      assertTrue(fn.properties().containsKey("Handler"), fn.logicalId());
      assertTrue(String.valueOf(fn.properties().get("Runtime")).startsWith("java"),
          "a Java runtime (Globals merged) for " + fn.logicalId());
    }
    assertFalse(t.resourcesOfType("AWS::SQS::Queue").isEmpty());
  }
}
