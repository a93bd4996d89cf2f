package io.github.ecsdeploy.taskdef;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.LocationTrait;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * The JSON reader and writer on every scalar type the SDK's models use. ECS task definitions use only strings,
 * integers, booleans, timestamps and structures, but {@link SdkJson} reads any model: a long written as an int,
 * a float rounded through a double, a byte or short accepted out of its range, or bytes not base64-encoded would
 * corrupt a value without any error. Real SDK members are used where one of the type exists (ECR's
 * {@code imageSizeInBytes}, ECS's {@code Resource.doubleValue}); the others come from a small model built here
 * with the SDK's own {@link SdkField} metadata, since no ECS/ECR/STS shape has them.
 */
class SdkJsonTest {

  /** Parses decimals exactly, as TaskDefinitionDocument does: a double would round them before SdkJson sees them. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  // ---- real SDK members

  @Test
  void aLongBeyondTheIntRangeRoundTrips() throws Exception {
    // ECR reports image sizes in bytes as a long: 5 GB does not fit an int.
    ImageDetail detail = ImageDetail.builder().imageSizeInBytes(5_000_000_000L).build();

    ObjectNode json = SdkJson.write(detail);

    assertEquals("{\"imageSizeInBytes\":5000000000}", json.toString());
    assertTrue(json.get("imageSizeInBytes").isLong(), json.toString());
    ImageDetail read = SdkJson.readInto(ImageDetail.builder(), tree("{\"imageSizeInBytes\":5000000000}"), "").build();
    assertEquals(5_000_000_000L, read.imageSizeInBytes());
  }

  @Test
  void aLongRefusesAFraction() throws Exception {
    SdkJsonException e = assertThrows(SdkJsonException.class,
        () -> SdkJson.readInto(ImageDetail.builder(), tree("{\"imageSizeInBytes\": 1.5}"), ""));
    assertEquals("imageSizeInBytes: expected an integer, got 1.5", e.getMessage());
  }

  @Test
  void aDoubleKeepsItsFractionBothWays() throws Exception {
    Resource resource = Resource.builder().name("CPU").type("INTEGER").doubleValue(0.25).longValue(1L << 40).build();

    ObjectNode json = SdkJson.write(resource);

    assertEquals(0.25, json.get("doubleValue").doubleValue());
    assertEquals(1L << 40, json.get("longValue").longValue());
    Resource read = SdkJson.readInto(Resource.builder(), json, "").build();
    assertEquals(resource, read);
    assertEquals(3.0, SdkJson.readInto(Resource.builder(), tree("{\"doubleValue\": 3}"), "").build().doubleValue(),
        "an integral JSON number is a valid double");
  }

  // ---- the other types, on a model built here

  @Test
  void everyScalarTypeIsWrittenWithItsWireNameAndValue() {
    AllTypes all = new AllTypes();
    all.aLong = 9_007_199_254_740_993L; // 2^53 + 1: lost if it went through a double
    all.aShort = (short) -32768;
    all.aByte = (byte) 127;
    all.aFloat = 0.1f;
    all.aDouble = 1e300;
    all.aDecimal = new BigDecimal("0.10000000000000000000001");
    all.someBytes = SdkBytes.fromByteArray(new byte[] {0, (byte) 0xff, 'a'});

    ObjectNode json = SdkJson.write(all);

    assertEquals(9_007_199_254_740_993L, json.get("long").longValue());
    assertEquals(-32768, json.get("short").intValue());
    assertEquals(127, json.get("byte").intValue());
    assertEquals(0.1f, json.get("float").floatValue());
    assertEquals(1e300, json.get("double").doubleValue());
    assertEquals(new BigDecimal("0.10000000000000000000001"), json.get("decimal").decimalValue());
    assertEquals("AP9h", json.get("bytes").textValue(), "base64 of 00 ff 61");
    assertEquals(List.of("long", "short", "byte", "float", "double", "decimal", "bytes"), names(json));
  }

  @Test
  void everyScalarTypeIsReadBack() throws Exception {
    AllTypes read = SdkJson.readInto(new AllTypes(), tree("""
        {"long": 9007199254740993, "short": -32768, "byte": -128, "float": 0.1, "double": 1e300,
         "decimal": 0.10000000000000000000001, "bytes": "AP9h"}"""), "");

    assertEquals(9_007_199_254_740_993L, read.aLong);
    assertEquals((short) -32768, read.aShort);
    assertEquals((byte) -128, read.aByte);
    assertEquals(0.1f, read.aFloat);
    assertEquals(1e300, read.aDouble);
    assertEquals(0, new BigDecimal("0.10000000000000000000001").compareTo(read.aDecimal), String.valueOf(read.aDecimal));
    assertArrayEquals(new byte[] {0, (byte) 0xff, 'a'}, read.someBytes.asByteArray());
  }

  @Test
  void writtenValuesReadBackEqual() {
    AllTypes all = new AllTypes();
    all.aLong = Long.MIN_VALUE;
    all.aShort = Short.MAX_VALUE;
    all.aByte = Byte.MIN_VALUE;
    all.aFloat = Float.MAX_VALUE;
    all.aDouble = -0.5;
    all.aDecimal = new BigDecimal("12345678901234567890.5");
    all.someBytes = SdkBytes.fromUtf8String("hello");

    AllTypes read = SdkJson.readInto(new AllTypes(), SdkJson.write(all), "");

    assertEquals(all.aLong, read.aLong);
    assertEquals(all.aShort, read.aShort);
    assertEquals(all.aByte, read.aByte);
    assertEquals(all.aFloat, read.aFloat);
    assertEquals(all.aDouble, read.aDouble);
    assertEquals(all.aDecimal, read.aDecimal);
    assertEquals("hello", read.someBytes.asUtf8String());
  }

  @Test
  void valuesOutOfRangeOrOfTheWrongKindAreRefusedWithTheirPath() throws Exception {
    assertRefused("{\"short\": 32768}", "short: expected a small integer, got 32768");
    assertRefused("{\"short\": -32769}", "short: expected a small integer, got -32769");
    assertRefused("{\"short\": 1.0}", "short: expected a small integer, got 1.0");
    assertRefused("{\"byte\": 128}", "byte: expected a byte, got 128");
    assertRefused("{\"byte\": -129}", "byte: expected a byte, got -129");
    assertRefused("{\"byte\": \"1\"}", "byte: expected a byte, got the string \"1\"");
    assertRefused("{\"long\": 9223372036854775808}", "long: expected an integer, got 9223372036854775808");
    assertRefused("{\"long\": \"5\"}", "long: expected an integer, got the string \"5\"");
    assertRefused("{\"float\": \"0.1\"}", "float: expected a number, got the string \"0.1\"");
    assertRefused("{\"double\": true}", "double: expected a number, got true");
    assertRefused("{\"decimal\": [1]}", "decimal: expected a number, got an array");
    assertRefused("{\"bytes\": 5}", "bytes: expected a base64 string, got 5");
    assertRefused("{\"bytes\": \"not base64!\"}", "bytes: expected a base64 string, got the string \"not base64!\"");
  }

  @Test
  void aWrongValueIsShownShortenedAfter40Characters() throws Exception {
    String at40 = "x".repeat(40);
    assertRefused("{\"long\": \"" + at40 + "\"}", "long: expected an integer, got the string \"" + at40 + "\"");
    assertRefused("{\"long\": \"" + at40 + "y\"}", "long: expected an integer, got the string \"" + at40 + "...\"");
    assertRefused("{\"long\": {\"a\": 1}}", "long: expected an integer, got an object");
    SdkJsonException e = assertThrows(SdkJsonException.class,
        () -> SdkJson.readInto(new AllTypes(), tree("{\"byte\": 300}"), "containerDefinitions[0]"));
    assertEquals("containerDefinitions[0].byte", e.path());
    assertEquals("expected a byte, got 300", e.problem());
  }

  @Test
  void nullMembersAreLeftUnset() throws Exception {
    AllTypes read = SdkJson.readInto(new AllTypes(), tree("{\"long\": null, \"bytes\": null}"), "");
    assertEquals(null, read.aLong);
    assertEquals(null, read.someBytes);
    assertEquals("{}", SdkJson.write(read).toString(), "unset members are not written");
  }

  // ---- "did you mean"

  @Test
  void aNameDifferingOnlyInCaseIsSuggested() throws Exception {
    assertSuggestion("Image", "image");
    assertSuggestion("MEMORY", "memory");
  }

  @Test
  void oneOrTwoEditsAreSuggestedAndThreeAreNot() throws Exception {
    assertSuggestion("imag", "image"); // one deletion
    assertSuggestion("imagee", "image"); // one insertion
    assertSuggestion("imaje", "image"); // one substitution
    assertSuggestion("imgae", "image"); // a swap is two edits
    assertSuggestion("hostnme1", "hostname"); // a deletion and a substitution
    assertSuggestion("mem", null); // three deletions from memory: too far
    assertSuggestion("xmgae", null); // three edits from image, and far from everything else
    assertSuggestion("entryPt", null); // entryPoint less three letters
  }

  @Test
  void theNearestNameWinsOverAnEarlierOneThatIsFurther() throws Exception {
    // "bytess" is 1 edit from bytes and 2 from byte, which the model lists first.
    SdkJsonException e = assertThrows(SdkJsonException.class,
        () -> SdkJson.readInto(new AllTypes(), tree("{\"bytess\": \"\"}"), ""));
    assertEquals("bytess: unknown field (did you mean bytes?)", e.getMessage());
    // On a tie the first in model order is kept.
    e = assertThrows(SdkJsonException.class, () -> SdkJson.readInto(new AllTypes(), tree("{\"bytez\": \"\"}"), ""));
    assertEquals("bytez: unknown field (did you mean byte?)", e.getMessage());
  }

  // ---- helpers

  private static void assertSuggestion(String unknown, String expected) throws Exception {
    SdkJsonException e = assertThrows(SdkJsonException.class,
        () -> SdkJson.readInto(ContainerDefinition.builder(), tree("{\"" + unknown + "\": 1}"), ""));
    if (expected == null) {
      assertEquals(unknown + ": unknown field", e.getMessage());
    } else {
      assertEquals(unknown + ": unknown field (did you mean " + expected + "?)", e.getMessage());
    }
  }

  private static void assertRefused(String json, String message) throws Exception {
    SdkJsonException e = assertThrows(SdkJsonException.class, () -> SdkJson.readInto(new AllTypes(), tree(json), ""));
    assertEquals(message, e.getMessage());
  }

  private static JsonNode tree(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * A model with one member of each scalar type no ECS shape has, described by the SDK's own field metadata the
   * way generated models are; it is its own builder, so {@link SdkJson#readInto} can fill it.
   */
  private static final class AllTypes implements SdkPojo {
    Long aLong;
    Short aShort;
    Byte aByte;
    Float aFloat;
    Double aDouble;
    BigDecimal aDecimal;
    SdkBytes someBytes;

    private static final List<SdkField<?>> FIELDS = List.of(
        field(MarshallingType.LONG, "long", a -> a.aLong, (a, v) -> a.aLong = v),
        field(MarshallingType.SHORT, "short", a -> a.aShort, (a, v) -> a.aShort = v),
        field(MarshallingType.BYTE, "byte", a -> a.aByte, (a, v) -> a.aByte = v),
        field(MarshallingType.FLOAT, "float", a -> a.aFloat, (a, v) -> a.aFloat = v),
        field(MarshallingType.DOUBLE, "double", a -> a.aDouble, (a, v) -> a.aDouble = v),
        field(MarshallingType.BIG_DECIMAL, "decimal", a -> a.aDecimal, (a, v) -> a.aDecimal = v),
        field(MarshallingType.SDK_BYTES, "bytes", a -> a.someBytes, (a, v) -> a.someBytes = v));

    private static <T> SdkField<T> field(MarshallingType<T> type, String name, Function<AllTypes, T> getter,
        BiConsumer<AllTypes, T> setter) {
      return SdkField.<T>builder(type)
          .memberName(name)
          .getter(o -> getter.apply((AllTypes) o))
          .setter((o, v) -> setter.accept((AllTypes) o, v))
          .traits(LocationTrait.builder().location(MarshallLocation.PAYLOAD).locationName(name)
              .unmarshallLocationName(name).build())
          .build();
    }

    @Override
    public List<SdkField<?>> sdkFields() {
      return FIELDS;
    }
  }

  @Test
  void theModelBuiltHereIsWhatTheTestsAssume() {
    assertEquals(List.of("long", "short", "byte", "float", "double", "decimal", "bytes"),
        new AllTypes().sdkFields().stream().map(SdkField::locationName).toList());
    assertFalse(SdkJson.byLocationName(new AllTypes().sdkFields()).isEmpty());
  }
}
