package com.example;

/** A service deployed by the consumer pipeline. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("its-gitlab");
  }
}
