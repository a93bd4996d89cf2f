package io.github.ecsdeploy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Images as a verify.groovy inspects them: one pushed to the stand-in's registry (read over the registry API
 * with the ECR login, as a client would), or one that {@code jib:buildTar} of jib-maven-plugin wrote (Docker's
 * {@code docker load} tarball). Both are reduced to the same {@link Image} so a script compares what
 * push-image built with what jib-maven-plugin builds from the same project.
 */
public final class ItImages {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ItImages() {}

  /**
   * An image as a script compares it.
   *
   * @param config the container config ({@code config} of the image configuration): Entrypoint, Cmd, Env,
   *     ExposedPorts, Labels, User, WorkingDir, Volumes
   * @param layers per layer, its tar entries (directories end in {@code /}), with the mode of each entry
   * @param files per layer, the text of small regular files ({@code app/jib-classpath-file})
   * @param layerDigests the digests of the compressed layers
   * @param architecture the image configuration's architecture
   */
  public record Image(Map<String, Object> config, List<Map<String, Integer>> layers,
      List<Map<String, String>> files, List<String> layerDigests, String architecture) {

    /** The entries of every layer, in layer order, without modes. */
    public List<List<String>> entries() {
      List<List<String>> entries = new ArrayList<>();
      for (Map<String, Integer> layer : layers) {
        entries.add(new ArrayList<>(layer.keySet()));
      }
      return entries;
    }

    /** The text of a file in the image (the last layer that has it), or {@code null}. */
    public String file(String path) {
      String found = null;
      for (Map<String, String> layer : files) {
        if (layer.containsKey(path)) {
          found = layer.get(path);
        }
      }
      return found;
    }
  }

  /** The image {@code repository:tag} as the stand-in's registry serves it. */
  public static Image pushed(ItStandIn aws, String repository, String tag) throws IOException, InterruptedException {
    String password = aws.registrySecrets().get(0);
    String auth = "Basic " + Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    HttpClient http = HttpClient.newHttpClient();
    String base = aws.endpoint() + "/v2/" + repository;
    JsonNode manifest = JSON.readTree(get(http, base + "/manifests/" + tag, auth));
    JsonNode configBlob = JSON.readTree(get(http, base + "/blobs/" + manifest.path("config").path("digest").asText(),
        auth));
    List<byte[]> layers = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      digests.add(layer.path("digest").asText());
      layers.add(get(http, base + "/blobs/" + layer.path("digest").asText(), auth));
    }
    return image(configBlob, layers, digests);
  }

  /** The image in a tarball that {@code jib:buildTar} wrote ({@code target/jib-image.tar}). */
  public static Image jibTar(File tarFile) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    byte[] tar = Files.readAllBytes(tarFile.toPath());
    readTar(tar, (name, header, content) -> entries.put(name, content));
    JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
    JsonNode config = JSON.readTree(entries.get(manifest.path("Config").asText()));
    List<byte[]> layers = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    for (JsonNode layer : manifest.path("Layers")) {
      layers.add(entries.get(layer.asText()));
      digests.add("sha256:" + layer.asText().replaceAll("\\.tar\\.gz$", ""));
    }
    return image(config, layers, digests);
  }

  @SuppressWarnings("unchecked")
  private static Image image(JsonNode config, List<byte[]> gzippedLayers, List<String> digests) throws IOException {
    Map<String, Object> container = JSON.convertValue(config.path("config"), LinkedHashMap.class);
    List<Map<String, Integer>> layers = new ArrayList<>();
    List<Map<String, String>> files = new ArrayList<>();
    for (byte[] gzipped : gzippedLayers) {
      byte[] tar;
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
        tar = in.readAllBytes();
      }
      Map<String, Integer> modes = new TreeMap<>();
      Map<String, String> texts = new TreeMap<>();
      readTar(tar, (name, header, content) -> {
        String octal = new String(header, 100, 8, StandardCharsets.UTF_8).replace("\0", "").trim();
        modes.put(name, octal.isEmpty() ? 0 : Integer.parseInt(octal, 8) & 07777);
        if ((header[156] == '0' || header[156] == 0) && content.length < 100_000 && !name.endsWith(".jar")
            && !name.endsWith(".class")) {
          texts.put(name, new String(content, StandardCharsets.UTF_8));
        }
      });
      layers.add(modes);
      files.add(texts);
    }
    return new Image(container, layers, files, digests, config.path("architecture").asText());
  }

  private static byte[] get(HttpClient http, String uri, String auth) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(uri))
            .header("Authorization", auth)
            .header("Accept", "application/vnd.docker.distribution.manifest.v2+json, "
                + "application/vnd.oci.image.manifest.v1+json")
            .GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + uri + " answered " + response.statusCode());
    }
    return response.body();
  }

  private interface TarEntry {
    void accept(String name, byte[] header, byte[] content);
  }

  /** Reads a ustar archive (with GNU/PAX long names as Jib writes them). */
  private static void readTar(byte[] tar, TarEntry entries) {
    String longName = null;
    for (int offset = 0; offset + 512 <= tar.length && tar[offset] != 0; ) {
      byte[] header = Arrays.copyOfRange(tar, offset, offset + 512);
      String name = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "");
      String prefix = new String(header, 345, 155, StandardCharsets.UTF_8).replace("\0", "");
      if (!prefix.isEmpty() && header[257] == 'u') {
        name = prefix + "/" + name;
      }
      String octalSize = new String(header, 124, 12, StandardCharsets.UTF_8).replace("\0", "").trim();
      int size = octalSize.isEmpty() ? 0 : (int) Long.parseLong(octalSize, 8);
      byte[] content = Arrays.copyOfRange(tar, offset + 512, offset + 512 + size);
      byte type = header[156];
      if (type == 'L') {
        longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
      } else if (type == 'x') {
        String pax = new String(content, StandardCharsets.UTF_8);
        for (String line : pax.split("\n")) {
          int space = line.indexOf(' ');
          if (space > 0 && line.startsWith("path=", space + 1)) {
            longName = line.substring(space + 6);
          }
        }
      } else if (type != 'g') {
        entries.accept(longName != null ? longName : name, header, content);
        longName = null;
      }
      offset += 512 + (size + 511) / 512 * 512;
    }
  }

  /** Field names of a JSON object map, sorted: for comparing {@code ExposedPorts} and {@code Volumes}. */
  public static List<String> keys(Object map) {
    List<String> keys = new ArrayList<>();
    if (map instanceof Map<?, ?> m) {
      for (Iterator<?> it = m.keySet().iterator(); it.hasNext(); ) {
        keys.add(String.valueOf(it.next()));
      }
    }
    keys.sort(null);
    return keys;
  }
}
