package io.github.ecsdeploy.taskdef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Reads and writes SDK v2 model objects as JSON, driven only by the SDK's own field metadata
 * ({@link SdkPojo#sdkFields()}): member names are the wire names ({@link SdkField#locationName()}), the same
 * the AWS CLI prints and accepts. Reading is strict: a member the model does not know, or a value of the wrong
 * JSON type, fails with its JSON path ({@code containerDefinitions[1].imagee: unknown field}), at any depth of
 * lists, maps and nested structures.
 *
 * <p>We use the metadata and the builders' field setters rather than the SDK's protocol marshallers: those
 * live in {@code internal} packages (no compatibility promise), and the unmarshaller silently drops unknown
 * members, which is exactly the mistake this reader exists to catch.
 */
public final class SdkJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SdkJson() {}

  /**
   * Fills {@code builder} from a JSON object.
   *
   * @param builder an SDK model builder, e.g. {@code TaskDefinition.builder()}
   * @param node the JSON object
   * @param path the JSON path of {@code node} for messages; empty at the document root
   * @return {@code builder}
   * @throws SdkJsonException naming the path of the first member that is unknown or of the wrong type
   */
  public static <B extends SdkPojo> B readInto(B builder, JsonNode node, String path) {
    if (!node.isObject()) {
      throw new SdkJsonException(path, "expected an object, got " + describe(node));
    }
    Map<String, SdkField<?>> fields = byLocationName(builder.sdkFields());
    Iterator<Map.Entry<String, JsonNode>> members = node.fields();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> member = members.next();
      String memberPath = child(path, member.getKey());
      SdkField<?> field = fields.get(member.getKey());
      if (field == null) {
        throw new SdkJsonException(memberPath, "unknown field" + suggestion(member.getKey(), fields.keySet()));
      }
      if (member.getValue().isNull()) {
        continue;
      }
      field.set(builder, readValue(field, member.getValue(), memberPath));
    }
    return builder;
  }

  /**
   * Reads one value of the type {@code field} describes (used for members read outside their structure, such as
   * the {@code tags} of a register-input file).
   */
  public static Object readValue(SdkField<?> field, JsonNode node, String path) {
    switch (field.marshallingType().getKnownType()) {
      case STRING:
        if (!node.isTextual()) {
          throw typeError(path, "a string", node);
        }
        return node.textValue();
      case BOOLEAN:
        if (!node.isBoolean()) {
          throw typeError(path, "true or false", node);
        }
        return node.booleanValue();
      case INTEGER:
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
          throw typeError(path, "an integer", node);
        }
        return node.intValue();
      case LONG:
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
          throw typeError(path, "an integer", node);
        }
        return node.longValue();
      case SHORT:
        if (!node.isIntegralNumber() || node.intValue() != (short) node.intValue()) {
          throw typeError(path, "a small integer", node);
        }
        return (short) node.intValue();
      case BYTE:
        if (!node.isIntegralNumber() || node.intValue() != (byte) node.intValue()) {
          throw typeError(path, "a byte", node);
        }
        return (byte) node.intValue();
      case FLOAT:
        if (!node.isNumber()) {
          throw typeError(path, "a number", node);
        }
        return node.floatValue();
      case DOUBLE:
        if (!node.isNumber()) {
          throw typeError(path, "a number", node);
        }
        return node.doubleValue();
      case BIG_DECIMAL:
        if (!node.isNumber()) {
          throw typeError(path, "a number", node);
        }
        return node.decimalValue();
      case INSTANT:
        return readInstant(node, path);
      case SDK_BYTES:
        if (!node.isTextual()) {
          throw typeError(path, "a base64 string", node);
        }
        try {
          return SdkBytes.fromByteArray(Base64.getDecoder().decode(node.textValue()));
        } catch (IllegalArgumentException e) {
          throw typeError(path, "a base64 string", node);
        }
      case SDK_POJO:
        SdkPojo nested = field.constructor().get();
        readInto(nested, node, path);
        return ((SdkBuilder<?, ?>) nested).build();
      case LIST:
        return readList(field, node, path);
      case MAP:
        return readMap(field, node, path);
      default:
        throw new SdkJsonException(path, "this reader does not support members of type " + field.marshallingType());
    }
  }

  private static List<Object> readList(SdkField<?> field, JsonNode node, String path) {
    if (!node.isArray()) {
      throw typeError(path, "an array", node);
    }
    SdkField<?> element = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
    List<Object> values = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String elementPath = path + "[" + i + "]";
      if (node.get(i).isNull()) {
        throw new SdkJsonException(elementPath, "null is not allowed in a list");
      }
      values.add(readValue(element, node.get(i), elementPath));
    }
    return values;
  }

  private static Map<String, Object> readMap(SdkField<?> field, JsonNode node, String path) {
    if (!node.isObject()) {
      throw typeError(path, "an object", node);
    }
    SdkField<?> value = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
    Map<String, Object> values = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String entryPath = child(path, entry.getKey());
      if (entry.getValue().isNull()) {
        throw new SdkJsonException(entryPath, "null is not allowed as a map value");
      }
      values.put(entry.getKey(), readValue(value, entry.getValue(), entryPath));
    }
    return values;
  }

  private static Instant readInstant(JsonNode node, String path) {
    if (node.isNumber()) {
      // The JSON protocol's epoch seconds with a fraction, as the SDK and botocore send them.
      BigDecimal seconds = node.decimalValue();
      long whole = seconds.longValue();
      long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(whole, nanos);
    }
    if (node.isTextual()) {
      // The AWS CLI prints ISO-8601 with an offset: 2025-03-04T10:15:30.123000+00:00.
      try {
        return OffsetDateTime.parse(node.textValue()).toInstant();
      } catch (DateTimeParseException e) {
        throw typeError(path, "a timestamp (ISO-8601 or epoch seconds)", node);
      }
    }
    throw typeError(path, "a timestamp (ISO-8601 or epoch seconds)", node);
  }

  /**
   * Writes a model object as a JSON object with its wire member names. Members that were never set are left
   * out (an SDK list or map that was not set is not written as {@code []}); timestamps are ISO-8601 strings.
   */
  public static ObjectNode write(SdkPojo pojo) {
    ObjectNode out = NODES.objectNode();
    for (SdkField<?> field : pojo.sdkFields()) {
      Object value = field.getValueOrDefault(pojo);
      if (value != null && !isUnset(value)) {
        out.set(field.locationName(), writeValue(field, value));
      }
    }
    return out;
  }

  private static JsonNode writeValue(SdkField<?> field, Object value) {
    switch (field.marshallingType().getKnownType()) {
      case STRING:
        return NODES.textNode((String) value);
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case INTEGER:
        return NODES.numberNode((Integer) value);
      case LONG:
        return NODES.numberNode((Long) value);
      case SHORT:
        return NODES.numberNode((Short) value);
      case BYTE:
        return NODES.numberNode((Byte) value);
      case FLOAT:
        return NODES.numberNode((Float) value);
      case DOUBLE:
        return NODES.numberNode((Double) value);
      case BIG_DECIMAL:
        return NODES.numberNode((BigDecimal) value);
      case INSTANT:
        return NODES.textNode(value.toString());
      case SDK_BYTES:
        return NODES.textNode(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArray()));
      case SDK_POJO:
        return write((SdkPojo) value);
      case LIST:
        SdkField<?> element = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
        ArrayNode array = NODES.arrayNode();
        for (Object item : (List<?>) value) {
          array.add(writeValue(element, item));
        }
        return array;
      case MAP:
        SdkField<?> valueField = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
        ObjectNode map = NODES.objectNode();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          map.set((String) entry.getKey(), writeValue(valueField, entry.getValue()));
        }
        return map;
      default:
        throw new IllegalStateException("Cannot write " + field.memberName() + " of type " + field.marshallingType());
    }
  }

  private static boolean isUnset(Object value) {
    return value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap;
  }

  /** The fields of a model keyed by wire name, in model order. */
  static Map<String, SdkField<?>> byLocationName(List<SdkField<?>> fields) {
    Map<String, SdkField<?>> map = new LinkedHashMap<>();
    for (SdkField<?> field : fields) {
      map.put(field.locationName(), field);
    }
    return Collections.unmodifiableMap(map);
  }

  static String child(String path, String name) {
    boolean plain = name.matches("[A-Za-z_][A-Za-z0-9_]*");
    String step = plain ? name : "[\"" + name.replace("\"", "\\\"") + "\"]";
    if (path.isEmpty()) {
      return step;
    }
    return plain ? path + "." + step : path + step;
  }

  private static SdkJsonException typeError(String path, String expected, JsonNode node) {
    return new SdkJsonException(path, "expected " + expected + ", got " + describe(node));
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      String text = node.textValue();
      return "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
    }
    if (node.isContainerNode()) {
      return node.isArray() ? "an array" : "an object";
    }
    return node.toString();
  }

  /** " (did you mean image?)" when one known name is within two edits of the unknown one. */
  private static String suggestion(String unknown, Iterable<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String name : known) {
      int distance = distance(unknown.toLowerCase(), name.toLowerCase());
      if (distance < bestDistance) {
        best = name;
        bestDistance = distance;
      }
    }
    return best == null ? "" : " (did you mean " + best + "?)";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
