package io.github.ecsdeploy.it;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Warm Maven JVMs for the ITs: each IT's Maven run goes to a JVM that has run Maven before, instead of a new
 * JVM that loads, verifies and compiles Maven again. A new JVM spent about 3.3 s of CPU on a validate-tag run,
 * two thirds of it starting Maven; the same run in a warm JVM about 0.7 s.
 *
 * <p>Each run still is a whole Maven run, as {@code mvn} starts it: Maven's own embedding entry point
 * ({@code MavenCli.doMain}, the one maven-verifier's embedded mode uses) builds a new container, reads the settings
 * and the project, runs the goals and disposes every realm it made, except the plugin realms that
 * {@link KeptPluginRealms} keeps ({@code --keep-plugin-realms true}, pom.xml property
 * {@code it.warmMaven.keepPluginRealms}): as under the Maven daemon (mvnd), the next run that uses the same plugin
 * takes its realm with the classes loaded, instead of resolving the plugin's dependencies and loading its classes
 * again (the runs' CPU in one IT-only build: 73 s with a realm per run, 41 s with kept realms). Besides those realms
 * only the JVM is shared: the JIT-compiled Maven core, the JDK's caches. What the JVM cannot give each run of its
 * own, a run does not get here: it goes to a new JVM, as before ({@link #coldReason}), when
 * <ul>
 *   <li>its environment differs from this JVM's (an IT's {@code invoker.environmentVariables}: a JVM cannot change
 *       its environment);</li>
 *   <li>its JVM options ({@code .mvn/jvm.config} and {@code MAVEN_OPTS}) hold anything but options that change only
 *       speed ({@link #SPEED_ONLY_OPTIONS}), e.g. a {@code -D} system property or a heap limit;</li>
 *   <li>it sets the log level ({@code -X}, {@code -q}) or a log file: Maven's loggers keep the level of the run
 *       that made them;</li>
 *   <li>it names its POM with {@code -f}, or {@code MAVEN_ARGS} is set: {@code mvn} would read them.</li>
 * </ul>
 * Between runs the JVM's system properties are put back as they were (Maven copies {@code -D} options into them).
 *
 * <p>One JVM runs one Maven at a time ({@code System.out} and the system properties are the JVM's), so there is one
 * JVM per slot, as many slots as invoker threads. The client ({@link WarmMavenClient}, started by
 * {@code src/test/warm-maven/mvn}, invoker's {@code mavenExecutable}) takes a free slot by locking its file.
 *
 * <pre>
 * WarmMaven --maven-home DIR --dir DIR --slots N [--keep-plugin-realms true] [--exit-with-parent]
 *   (the launcher, serves slot 0)
 * </pre>
 */
public final class WarmMaven {

  /** JVM options that change only how fast a Maven run goes, never what it does. */
  static final List<String> SPEED_ONLY_OPTIONS = List.of(
      "-XX:TieredStopAtLevel=", "-XX:+UseSerialGC", "-Xms", "-Xlog:cds", "-XX:SharedArchiveFile=", "-Xshare:auto");

  /** Environment variables that {@code mvn} itself sets or that only a shell keeps: not the run's own. */
  static final Set<String> LAUNCHER_VARIABLES = Set.of(
      "MAVEN_OPTS", "MAVEN_PROJECTBASEDIR", "MAVEN_CMD_LINE_ARGS", "_", "PWD", "OLDPWD", "SHLVL");

  /** Options that set Maven's log level or log file, which a shared JVM cannot set again for one run. */
  static final Set<String> LOGGING_OPTIONS = Set.of("-X", "--debug", "-q", "--quiet", "-l", "--log-file");

  private static final String USAGE =
      "usage: WarmMaven --maven-home DIR --dir DIR --slots N [--keep-plugin-realms true] [--exit-with-parent]";

  /** Maven runs each JVM makes before it serves: enough for the JIT to compile Maven's hot paths. */
  private static final int WARM_UP_RUNS = 3;

  static final byte OUTPUT = 1;
  static final byte EXIT = 2;
  static final byte COLD = 3;

  private final Object classWorld;
  private final Class<?> cli;
  /** KeptPluginRealms as Maven's core realm loaded it, or null when this JVM keeps no plugin realm. */
  private final Class<?> keptRealms;
  private final Map<String, String> environment = System.getenv();

  private WarmMaven(Path mavenHome, Path keptRealmsExtension) throws Exception {
    System.setProperty("maven.home", mavenHome.toString());
    System.setProperty("classworlds.conf", mavenHome.resolve("bin/m2.conf").toString());
    System.setProperty("library.jansi.path", mavenHome.resolve("lib/jansi-native").toString());
    // The realms of m2.conf, as the mvn script's classworlds launcher builds them.
    Path boot;
    try (var jars = Files.newDirectoryStream(mavenHome.resolve("boot"), "plexus-classworlds-*.jar")) {
      boot = jars.iterator().next();
    }
    // Above the realms only the JDK, as under mvn (whose class path is that jar alone): Maven's realms must not see
    // this JVM's own class path.
    ClassLoader bootLoader = new java.net.URLClassLoader(new java.net.URL[] {boot.toUri().toURL()},
        ClassLoader.getPlatformClassLoader());
    Class<?> launcherType = bootLoader.loadClass("org.codehaus.plexus.classworlds.launcher.Launcher");
    Object launcher = launcherType.getConstructor().newInstance();
    launcherType.getMethod("setSystemClassLoader", ClassLoader.class).invoke(launcher, bootLoader);
    try (InputStream conf = new FileInputStream(mavenHome.resolve("bin/m2.conf").toFile())) {
      launcherType.getMethod("configure", InputStream.class).invoke(launcher, conf);
    }
    this.classWorld = launcherType.getMethod("getWorld").invoke(launcher);
    this.cli = (Class<?>) launcherType.getMethod("getMainClass").invoke(launcher);
    if (keptRealmsExtension != null) {
      // as a core extension in Maven's lib/ext would be: in the realm of Maven's container, found through its index
      ClassLoader core = (ClassLoader) classWorld.getClass().getMethod("getRealm", String.class)
          .invoke(classWorld, "plexus.core");
      core.getClass().getMethod("addURL", java.net.URL.class).invoke(core, keptRealmsExtension.toUri().toURL());
      this.keptRealms = core.loadClass(WarmMaven.class.getPackageName() + ".KeptPluginRealms");
    } else {
      this.keptRealms = null;
    }
  }

  /**
   * {@link KeptPluginRealms} as a directory that Maven's core realm can take: its class files and the Sisu index
   * that names it (Maven's container finds its components through such indexes). Copied out of this JVM's class
   * path so that Maven's realm sees these classes alone, none of the other test classes.
   */
  static Path keptRealmsExtension(Path dir, int slot) throws IOException {
    Path extension = dir.resolve("kept-plugin-realms-" + slot);
    // by name: the class extends Maven's, which this JVM's class path does not have
    String prefix = "KeptPluginRealms";
    String name = WarmMaven.class.getPackageName() + "." + prefix;
    String packagePath = WarmMaven.class.getPackageName().replace('.', '/');
    Path packageDir = extension.resolve(packagePath);
    Files.createDirectories(packageDir);
    Path classes;
    try {
      classes = Path.of(WarmMaven.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .resolve(packagePath);
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    try (var files = Files.newDirectoryStream(classes, prefix + "*.class")) {
      for (Path file : files) {
        String simple = file.getFileName().toString();
        if (simple.equals(prefix + ".class") || simple.startsWith(prefix + "$")) {
          Files.copy(file, packageDir.resolve(simple), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Path index = extension.resolve("META-INF/sisu/javax.inject.Named");
    Files.createDirectories(index.getParent());
    Files.writeString(index, name + "\n", StandardCharsets.UTF_8);
    return extension;
  }

  public static void main(String[] args) throws Exception {
    Path mavenHome = null;
    Path dir = null;
    int slots = 1;
    int slot = 0;
    long owner = -1;
    boolean exitWithParent = false;
    boolean keepPluginRealms = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--maven-home" -> mavenHome = Path.of(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--slots" -> slots = slots(args[++i]);
        case "--slot" -> slot = Integer.parseInt(args[++i]);
        case "--owner" -> owner = Long.parseLong(args[++i]);
        case "--exit-with-parent" -> exitWithParent = true;
        case "--keep-plugin-realms" -> keepPluginRealms = Boolean.parseBoolean(args[++i]);
        default -> throw new IllegalArgumentException("Unknown argument " + args[i] + "; " + USAGE);
      }
    }
    if (mavenHome == null || dir == null) {
      throw new IllegalArgumentException(USAGE);
    }
    if (exitWithParent) {
      // Started by the build in the background: never outlive it.
      ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> System.exit(0)));
    }
    Files.createDirectories(dir);
    if (slot == 0) {
      // The launcher: its parent is the build the slots serve. A fresh set of slot files for this build, then one
      // JVM like this one per further slot.
      owner = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
      try (var stale = Files.newDirectoryStream(dir, "slot-*.port")) {
        for (Path file : stale) {
          Files.delete(file);
        }
      }
      Files.deleteIfExists(dir.resolve("runs.log"));
      Files.deleteIfExists(dir.resolve(UNAVAILABLE));
      // "<slots> <owner pid>", as the port files: a client of this build ignores the files of an earlier one
      writeAtomically(dir.resolve("slots"), slots + " " + owner);
      for (int i = 1; i < slots; i++) {
        startSlot(mavenHome, dir, i, owner, keepPluginRealms);
      }
      if (slots == 0) {
        return;
      }
    }
    new WarmMaven(mavenHome, keepPluginRealms ? keptRealmsExtension(dir, slot) : null).serve(dir, slot, owner);
  }

  /** A number, or as invoker's parallelThreads {@code <n>C}: n per core. */
  static int slots(String value) {
    return value.endsWith("C")
        ? (int) Math.round(Double.parseDouble(value.substring(0, value.length() - 1))
            * Runtime.getRuntime().availableProcessors())
        : Integer.parseInt(value);
  }

  private static void startSlot(Path mavenHome, Path dir, int slot, long owner, boolean keepPluginRealms)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), WarmMaven.class.getName(),
        "--maven-home", mavenHome.toString(), "--dir", dir.toString(), "--slot", Integer.toString(slot),
        "--owner", Long.toString(owner), "--keep-plugin-realms", Boolean.toString(keepPluginRealms),
        "--exit-with-parent"));
    new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("slot-" + slot + ".out").toFile())
        .start();
  }

  /**
   * The file a client writes when the slots did not start (it says why); every later client of the build runs cold
   * at once. The launcher removes it when it starts.
   */
  static final String UNAVAILABLE = "unavailable";

  static Path portFile(Path dir, int slot) {
    return dir.resolve("slot-" + slot + ".port");
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void serve(Path dir, int slot, long owner) throws IOException {
    Path log = dir.resolve("slot-" + slot + ".log");
    Files.deleteIfExists(log);
    warmUp(dir, slot, log);
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      // "<port> <owner pid>": a client of another build (a stale file) sees that the slot is not its own.
      writeAtomically(portFile(dir, slot), server.getLocalPort() + " " + owner);
      while (true) {
        try (Socket socket = server.accept()) {
          handle(socket, log);
        } catch (IOException | RuntimeException e) {
          System.err.println("warm Maven slot " + slot + ": " + e);
        }
      }
    }
  }

  /**
   * Maven's own code compiled before the first IT asks: the JVM starts before {@code package} (pom.xml), while
   * javadoc and the site leave a core free, and these runs take the CPU their JIT warm-up would take from the
   * first ITs. A {@code validate} of a POM project that
   * binds no plugin: the container, the settings, the model builder and the lifecycle, nothing downloaded. At
   * Maven's default log level with the output dropped: a quiet run would leave its loggers quiet for every later run.
   */
  private void warmUp(Path dir, int slot, Path log) throws IOException {
    Path project = dir.resolve("warm-up-" + slot);
    Files.createDirectories(project);
    Files.writeString(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>warm.up</groupId>
          <artifactId>warm-up</artifactId>
          <version>1</version>
          <packaging>pom</packaging>
        </project>
        """, StandardCharsets.UTF_8);
    List<String> args = List.of("-B", "-o", "-Dmaven.repo.local=" + project.resolve("repository"), "validate");
    Request request = new Request(project.toString(), args, environment);
    for (int i = 0; i < WARM_UP_RUNS; i++) {
      try (PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream())) {
        timed(log, request, () -> run(request, nowhere));
      }
    }
  }

  private void handle(Socket socket, Path log) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    Request request = Request.read(in);
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    String reason = coldReason(request, environment);
    if (reason != null) {
      out.writeByte(COLD);
      out.writeUTF(reason);
      out.flush();
      return;
    }
    int exitCode;
    try (PrintStream output = new PrintStream(new FrameStream(out), true, StandardCharsets.UTF_8)) {
      exitCode = timed(log, request, () -> run(request, output));
    }
    out.writeByte(EXIT);
    out.writeInt(exitCode);
    out.flush();
  }

  /** Runs {@code run} and adds a line on what it cost this JVM to the slot's log. */
  private static int timed(Path log, Request request, java.util.function.IntSupplier run) throws IOException {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    int exitCode = run.getAsInt();
    // CPU of all this JVM's threads (also of any a plugin left running), and the heap in use after the run
    Runtime rt = Runtime.getRuntime();
    List<String> args = request.args();
    Files.writeString(log, String.format("%6.2f s CPU %6.2f s wall  heap %4d MB  rc=%d  %s  %s%n",
        (os.getProcessCpuTime() - cpu) / 1e9, (System.nanoTime() - start) / 1e9,
        (rt.totalMemory() - rt.freeMemory()) >> 20, exitCode, Path.of(request.workingDirectory()).getFileName(),
        String.join(" ", args.subList(Math.max(0, args.size() - 3), args.size()))),
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    return exitCode;
  }

  private int run(Request request, PrintStream output) {
    Properties saved = (Properties) System.getProperties().clone();
    InputStream stdin = System.in;
    ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
    try {
      System.setProperty("maven.multiModuleProjectDirectory", projectBaseDir(request).toString());
      System.setIn(new ByteArrayInputStream(new byte[0]));
      // as the classworlds launcher of mvn: Maven's realm is the context class loader (its logging configuration,
      // conf/logging/simplelogger.properties, is read through it)
      Thread.currentThread().setContextClassLoader(cli.getClassLoader());
      Constructor<?> constructor = cli.getConstructor(classWorld.getClass());
      Object maven = constructor.newInstance(classWorld);
      String[] args = request.args().toArray(String[]::new);
      if (keptRealms == null) {
        Method doMain = cli.getMethod("doMain", String[].class, String.class, PrintStream.class, PrintStream.class);
        return (Integer) doMain.invoke(maven, args, request.workingDirectory(), output, output);
      }
      return runKeepingPluginRealms(maven, args, request.workingDirectory(), output);
    } catch (ReflectiveOperationException e) {
      e.printStackTrace(output);
      return 1;
    } finally {
      System.setProperties(saved);
      System.setIn(stdin);
      Thread.currentThread().setContextClassLoader(contextLoader);
    }
  }

  /**
   * What {@code MavenCli.doMain(args, workingDirectory, stdout, stderr)} does, except that the plugin realms
   * {@link KeptPluginRealms} keeps outlive the run: that method disposes every realm the run made.
   */
  @SuppressWarnings("unchecked")
  private int runKeepingPluginRealms(Object maven, String[] args, String workingDirectory, PrintStream output)
      throws ReflectiveOperationException {
    Method getRealms = classWorld.getClass().getMethod("getRealms");
    Method disposeRealm = classWorld.getClass().getMethod("disposeRealm", String.class);
    Set<String> before = new java.util.HashSet<>(realmIds(getRealms));
    PrintStream out = System.out;
    PrintStream err = System.err;
    try {
      System.setOut(output);
      System.setErr(output);
      Class<?> requestType = cli.getClassLoader().loadClass("org.apache.maven.cli.CliRequest");
      Constructor<?> newRequest = requestType.getDeclaredConstructor(String[].class, classWorld.getClass());
      newRequest.setAccessible(true);
      Object request = newRequest.newInstance(args, classWorld);
      java.lang.reflect.Field directory = requestType.getDeclaredField("workingDirectory");
      directory.setAccessible(true);
      directory.set(request, workingDirectory);
      return (Integer) cli.getMethod("doMain", requestType).invoke(maven, request);
    } finally {
      System.setOut(out);
      System.setErr(err);
      Set<String> kept = (Set<String>) keptRealms.getMethod("keptRealmIds").invoke(null);
      for (String id : realmIds(getRealms)) {
        if (!before.contains(id) && !kept.contains(id)) {
          disposeRealm.invoke(classWorld, id);
        }
      }
    }
  }

  private List<String> realmIds(Method getRealms) throws ReflectiveOperationException {
    List<String> ids = new ArrayList<>();
    for (Object realm : (java.util.Collection<?>) getRealms.invoke(classWorld)) {
      ids.add((String) realm.getClass().getMethod("getId").invoke(realm));
    }
    return ids;
  }

  /**
   * Why this run needs a JVM of its own, or {@code null} when a warm JVM with {@code environment} runs it as
   * {@code mvn} would.
   */
  static String coldReason(Request request, Map<String, String> environment) {
    for (String arg : request.args()) {
      if (LOGGING_OPTIONS.contains(arg)) {
        return "sets the log level or file (" + arg + ")";
      }
      if (arg.equals("-f") || arg.equals("--file")) {
        return "names its POM (" + arg + ")";
      }
    }
    Set<String> names = new TreeSet<>(request.environment().keySet());
    names.addAll(environment.keySet());
    names.removeAll(LAUNCHER_VARIABLES);
    for (String name : names) {
      if (name.equals("MAVEN_ARGS") && request.environment().containsKey(name)) {
        return "MAVEN_ARGS is set";
      }
      String wanted = request.environment().get(name);
      if (wanted == null ? environment.containsKey(name) : !wanted.equals(environment.get(name))) {
        return "its environment differs in " + name;
      }
    }
    List<String> options = new ArrayList<>(jvmConfig(projectBaseDir(request)));
    options.addAll(words(request.environment().getOrDefault("MAVEN_OPTS", "")));
    for (String option : options) {
      if (SPEED_ONLY_OPTIONS.stream().noneMatch(option::startsWith)) {
        return "its JVM options hold " + option;
      }
    }
    return null;
  }

  /** Where {@code mvn} looks for {@code .mvn}: the working directory or the nearest parent that has one. */
  static Path projectBaseDir(Request request) {
    Path start = Path.of(request.workingDirectory()).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".mvn"))) {
        return dir;
      }
    }
    return start;
  }

  private static List<String> jvmConfig(Path projectBaseDir) {
    Path file = projectBaseDir.resolve(".mvn/jvm.config");
    try {
      return Files.isRegularFile(file) ? words(Files.readString(file, StandardCharsets.UTF_8)) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  /** One Maven run as the client asks for it. */
  record Request(String workingDirectory, List<String> args, Map<String, String> environment) {

    void write(DataOutputStream out) throws IOException {
      out.writeUTF(workingDirectory);
      out.writeInt(args.size());
      for (String arg : args) {
        out.writeUTF(arg);
      }
      out.writeInt(environment.size());
      for (Map.Entry<String, String> e : environment.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
      out.flush();
    }

    static Request read(DataInputStream in) throws IOException {
      String workingDirectory = in.readUTF();
      int argCount = in.readInt();
      List<String> args = new ArrayList<>(argCount);
      for (int i = 0; i < argCount; i++) {
        args.add(in.readUTF());
      }
      int envCount = in.readInt();
      Map<String, String> environment = new LinkedHashMap<>();
      for (int i = 0; i < envCount; i++) {
        environment.put(in.readUTF(), in.readUTF());
      }
      return new Request(workingDirectory, List.copyOf(args), environment);
    }
  }

  /** Maven's output, as OUTPUT frames; a client that went away only loses the output. */
  private static final class FrameStream extends OutputStream {
    private final DataOutputStream out;
    private boolean broken;

    FrameStream(DataOutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      if (broken || len == 0) {
        return;
      }
      try {
        out.writeByte(OUTPUT);
        out.writeInt(len);
        out.write(b, off, len);
      } catch (IOException e) {
        broken = true;
      }
    }

    @Override
    public synchronized void flush() {
      if (!broken) {
        try {
          out.flush();
        } catch (IOException e) {
          broken = true;
        }
      }
    }

    @Override
    public void close() {
      flush();
    }
  }
}
