package io.github.ecsdeploy.standin;

/**
 * An error answer as AWS sends it in the JSON 1.1 protocol: an HTTP status (400 for client errors), a body
 * {@code {"__type": "<errorType>", "message": "..."}} and the header {@code x-amzn-ErrorType}.
 */
public class AwsErrorException extends RuntimeException {

  private final int status;
  private final String errorType;

  public AwsErrorException(int status, String errorType, String message) {
    super(message);
    this.status = status;
    this.errorType = errorType;
  }

  /** HTTP 400 with the given {@code __type}. */
  public static AwsErrorException client(String errorType, String message) {
    return new AwsErrorException(400, errorType, message);
  }

  public int status() {
    return status;
  }

  public String errorType() {
    return errorType;
  }
}
