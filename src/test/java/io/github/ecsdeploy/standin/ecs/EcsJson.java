package io.github.ecsdeploy.standin.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.ecs.EcsState.Tag;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The AWS JSON 1.1 vocabulary every ECS operation of the stand-in shares: reading members, timestamps as epoch
 * seconds, paging with {@code nextToken}, {@code failures[]} entries, tags, and ECS's two client errors.
 */
final class EcsJson {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Names of clusters, services, task-definition families and containers. */
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
  private static final Pattern TAG_CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

  private EcsJson() {}

  /** Epoch seconds with milliseconds as a fraction, as AWS JSON protocols send timestamps. */
  static DecimalNode timestamp(Instant t) {
    return new DecimalNode(BigDecimal.valueOf(t.toEpochMilli(), 3));
  }

  static Instant instant(JsonNode epochSeconds) {
    return Instant.ofEpochMilli(epochSeconds.decimalValue().movePointRight(3).longValue());
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  static boolean includes(JsonNode req, String what) {
    return strings(req.get("include")).contains(what);
  }

  static ObjectNode failure(String arn, String reason) {
    return NODES.objectNode().put("arn", arn).put("reason", reason);
  }

  static JsonNode page(JsonNode req, List<String> all, String member) {
    int max = req.hasNonNull("maxResults") ? req.get("maxResults").asInt() : 100;
    if (max < 1 || max > 100) {
      throw invalid("maxResults must be between 1 and 100.");
    }
    int from = 0;
    String token = text(req, "nextToken");
    if (token != null) {
      try {
        from = Integer.parseInt(new String(java.util.Base64.getDecoder().decode(token),
            java.nio.charset.StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw invalid("Invalid nextToken.");
      }
    }
    int to = Math.min(all.size(), from + max);
    ObjectNode out = NODES.objectNode();
    ArrayNode a = out.putArray(member);
    all.subList(Math.min(from, to), to).forEach(a::add);
    if (to < all.size()) {
      out.put("nextToken", java.util.Base64.getEncoder().encodeToString(String.valueOf(to)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return out;
  }

  static AwsErrorException client(String message) {
    return AwsErrorException.client("ClientException", message);
  }

  static AwsErrorException invalid(String message) {
    return AwsErrorException.client("InvalidParameterException", message);
  }

  static List<Tag> parseTags(JsonNode tags) {
    List<Tag> out = new ArrayList<>();
    if (tags == null || tags.isNull()) {
      return out;
    }
    if (!tags.isArray()) {
      throw invalid("Tags must be a list.");
    }
    if (tags.size() > 50) {
      throw invalid("The maximum number of tags for a resource is 50.");
    }
    Set<String> keys = new LinkedHashSet<>();
    for (JsonNode t : tags) {
      String key = text(t, "key");
      String value = t.hasNonNull("value") ? t.get("value").asText() : "";
      if (key == null || key.isEmpty() || key.length() > 128) {
        throw invalid("Tag keys must be between 1 and 128 characters.");
      }
      if (value.length() > 256) {
        throw invalid("Tag values must be at most 256 characters.");
      }
      if (!TAG_CHARS.matcher(key).matches() || !TAG_CHARS.matcher(value).matches()) {
        throw invalid("Tags may only contain letters, numbers, spaces and the characters + - = . _ : / @.");
      }
      if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        throw invalid("Tag key must not start with aws:");
      }
      if (!keys.add(key)) {
        throw invalid("Duplicate tag keys are not allowed: " + key);
      }
      out.add(new Tag(key, value));
    }
    return out;
  }

  static void mergeTags(List<Tag> target, List<Tag> given) {
    for (Tag g : given) {
      target.removeIf(t -> t.key().equals(g.key()));
      target.add(g);
    }
  }

  static ArrayNode renderTags(List<Tag> tags) {
    ArrayNode a = NODES.arrayNode();
    tags.forEach(t -> a.addObject().put("key", t.key()).put("value", t.value()));
    return a;
  }
}
