package demo;

/** The service's code: compiled and packaged before the deploy-phase goals run. */
public final class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
