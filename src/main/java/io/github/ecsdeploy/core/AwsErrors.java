package io.github.ecsdeploy.core;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The one way a message quotes AWS's own words for an error it caught to add meaning (a missing cluster, a
 * refused revision). Errors caught for no such reason are not caught at all: they reach the Mojo's one mapping,
 * which names the operation, the region and the credential source.
 */
public final class AwsErrors {

  private AwsErrors() {}

  /**
   * AWS's error message without its final full stop, so it can stand inside a sentence; {@code "no message"}
   * when AWS sent none.
   */
  public static String message(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String message = details != null ? details.errorMessage() : e.getMessage();
    if (message == null || message.isBlank()) {
      return "no message";
    }
    message = message.strip();
    return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
  }
}
