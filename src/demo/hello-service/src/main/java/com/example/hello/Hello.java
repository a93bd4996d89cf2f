package com.example.hello;

/** The demo service: what it does is beside the point; how it gets deployed is the demo. */
public final class Hello {

  private Hello() {}

  public static void main(String[] args) {
    System.out.println("Hello from " + Hello.class.getPackage().getImplementationVersion());
  }
}
