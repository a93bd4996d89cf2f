package com.example.hello;

/** The demo service: what it does is beside the point; how it gets deployed is the demo. */
public final class Hello {

  private Hello() {}

  public static void main(String[] args) throws java.io.IOException {
    java.util.Properties build = new java.util.Properties();
    try (var in = Hello.class.getResourceAsStream("/hello.properties")) {
      build.load(in);
    }
    System.out.println("Hello from version " + build.getProperty("version"));
  }
}
