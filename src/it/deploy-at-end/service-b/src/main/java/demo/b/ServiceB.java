package demo.b;

/** Service b: compiled, tested and packaged before the deploy-phase goals. */
public final class ServiceB {
  public static void main(String[] args) {
    System.out.println("service b");
  }

  static String name() {
    return "service b";
  }
}
