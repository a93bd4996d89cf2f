package io.github.ecsdeploy.core;

import java.util.Optional;

/**
 * The user's input is wrong or incomplete: a parameter, a file, a tag, or a name that AWS does not know. The
 * message names the parameter in both spellings ({@link Param#both()}) and says how to fix it.
 */
public class UserInputException extends EcsDeployException {

  private final Param param;

  public UserInputException(String message) {
    this(null, message, null);
  }

  public UserInputException(Param param, String message) {
    this(param, message, null);
  }

  public UserInputException(Param param, String message, Throwable cause) {
    super(message, cause);
    this.param = param;
  }

  /** The parameter to fix, when there is one. */
  public Optional<Param> param() {
    return Optional.ofNullable(param);
  }
}
