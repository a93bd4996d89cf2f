package io.github.ecsdeploy.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code target/ecs-deploy/image.json}, written by push-image: what was pushed, so register-task-def pins the
 * task definition to exactly that image.
 *
 * @param image the image reference without digest, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-app:v1.4.0}
 * @param digest the manifest digest, e.g. {@code sha256:...}; {@code null} when unknown
 * @param tags every tag the image was pushed with, e.g. {@code [v1.4.0]}
 * @param result whether the image was pushed now or was already in the registry with that digest
 */
public record ImageState(String image, String digest, List<String> tags, Result result) {

  /** The file name under the state directory. */
  public static final String FILE = "image.json";

  /** What a dry run of push-image would push, for register-task-def's dry run; never read by a real run. */
  public static final String DRY_RUN_FILE = "image.dry-run.json";

  /** How push-image ended. */
  public enum Result {
    /** The image was pushed by this build. */
    @JsonProperty("pushed")
    PUSHED,
    /** The registry already had the tag with the same digest; nothing was pushed. */
    @JsonProperty("alreadyPresent")
    ALREADY_PRESENT,
    /** A dry run: nothing was built or pushed; the digest is ECR's when the tag exists, else unknown. */
    @JsonProperty("dryRun")
    DRY_RUN
  }

  public ImageState {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * The reference a task definition should run: {@code image@digest} when the digest is known (and not already
   * part of {@code image}), else {@code image}.
   */
  @JsonIgnore
  public String pinnedReference() {
    if (digest == null || digest.isBlank() || image.contains("@")) {
      return image;
    }
    return image + "@" + digest;
  }
}
