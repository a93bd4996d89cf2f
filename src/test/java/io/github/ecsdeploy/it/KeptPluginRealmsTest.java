package io.github.ecsdeploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.PluginRealmCache.CacheRecord;
import org.apache.maven.plugin.PluginRealmCache.Key;
import org.codehaus.plexus.DefaultContainerConfiguration;
import org.codehaus.plexus.DefaultPlexusContainer;
import org.codehaus.plexus.PlexusConstants;
import org.codehaus.plexus.classworlds.ClassWorld;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.codehaus.plexus.classworlds.realm.NoSuchRealmException;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm Maven JVMs' plugin realm cache: one realm per plugin for the runs of a JVM, each run with a container of
 * its own that must know the realm's mojos. Real Plexus containers and class realms, a plugin jar with a descriptor.
 * Each test has a local repository of its own, so the JVM-wide cache keeps their realms apart.
 */
class KeptPluginRealmsTest {

  @TempDir Path dir;

  private final ClassWorld world = new ClassWorld();
  private final List<RemoteRepository> central =
      List.of(new RemoteRepository.Builder("central", "default", "https://repo.maven.apache.org/maven2").build());
  private DefaultPlexusContainer first;
  private DefaultPlexusContainer second;

  @AfterEach
  void dispose() {
    for (DefaultPlexusContainer container : new DefaultPlexusContainer[] {first, second}) {
      if (container != null) {
        container.dispose();
      }
    }
  }

  private DefaultPlexusContainer container(String name) throws Exception {
    ClassRealm core = world.newRealm(name, getClass().getClassLoader());
    // the session and mojo execution scopes, as Maven's core binds them in every container
    return new DefaultPlexusContainer(new DefaultContainerConfiguration()
        .setClassWorld(world).setRealm(core).setClassPathScanning(PlexusConstants.SCANNING_OFF).setAutoWiring(true),
        new org.apache.maven.session.scope.internal.SessionScopeModule(),
        new org.apache.maven.execution.scope.internal.MojoExecutionScopeCoreModule());
  }

  private DefaultRepositorySystemSession session(Path localRepository) throws Exception {
    DefaultRepositorySystemSession session = new DefaultRepositorySystemSession();
    session.setLocalRepositoryManager(new org.eclipse.aether.internal.impl.SimpleLocalRepositoryManagerFactory()
        .newInstance(session, new LocalRepository(localRepository.toFile())));
    return session;
  }

  private static Plugin plugin(String version) {
    Plugin plugin = new Plugin();
    plugin.setGroupId("org.example");
    plugin.setArtifactId("demo-maven-plugin");
    plugin.setVersion(version);
    return plugin;
  }

  /** A plugin jar whose descriptor has one mojo, goal {@code go}. */
  private static Path pluginJar(Path file, String version) throws IOException {
    Files.createDirectories(file.getParent());
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file))) {
      jar.putNextEntry(new ZipEntry("META-INF/maven/plugin.xml"));
      jar.write(("<plugin><groupId>org.example</groupId><artifactId>demo-maven-plugin</artifactId><version>"
          + version + "</version><goalPrefix>demo</goalPrefix><mojos><mojo><goal>go</goal>"
          + "<description>Goes.</description><implementation>" + GoMojo.class.getName() + "</implementation><language>java</language>"
          + "<instantiationStrategy>per-lookup</instantiationStrategy></mojo></mojos></plugin>")
          .getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return file;
  }

  /** What Maven's plugin manager would make for a miss: a realm with the plugin jar, counted. */
  private CacheRecord made(Path jar, AtomicInteger count) {
    count.incrementAndGet();
    ClassRealm realm;
    try {
      // its parent gives it Maven's API, as Maven's plugin realms import it
      realm = world.newRealm("plugin>org.example:demo-maven-plugin-" + count.get(), getClass().getClassLoader());
      realm.addURL(jar.toUri().toURL());
      for (ClassRealm api : world.getRealms()) {
        if (api.getId().startsWith("maven.api")) {
          realm.importFrom(api, "org.example.api"); // as Maven's plugin realms import its API realm
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Artifact artifact = new DefaultArtifact("org.example", "demo-maven-plugin", "1.0", "runtime", "maven-plugin",
        null, new DefaultArtifactHandler("maven-plugin"));
    artifact.setFile(jar.toFile());
    return new CacheRecord(realm, List.of(artifact));
  }

  private Key key(KeptPluginRealms cache, Plugin plugin, String apiRealm, Path localRepository) throws Exception {
    ClassRealm api = world.getClassRealm(apiRealm) != null ? world.getRealm(apiRealm) : world.newRealm(apiRealm);
    return cache.createKey(plugin, null, Map.of("", api), null, central, session(localRepository));
  }

  /** The demo plugin's mojo (its realm finds the class through its parent, this class's loader). */
  public static final class GoMojo extends org.apache.maven.plugin.AbstractMojo {
    @Override
    public void execute() {}
  }

  /** Whether the container has the mojo, looked up as Maven does: with the plugin's realm as context loader. */
  private static boolean knows(DefaultPlexusContainer container, ClassRealm realm, String mojo) {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(realm);
    try {
      return container.hasComponent(Mojo.class, mojo);
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @Test
  void theKeysOfTwoRunsMatchThoughEachRunHasItsOwnMavenApiRealm() throws Exception {
    KeptPluginRealms cache = new KeptPluginRealms(null);
    Path repo = dir.resolve("repo");
    Key one = key(cache, plugin("1.0"), "maven.api", repo);
    Key two = key(cache, plugin("1.0"), "maven.api-7", repo);
    assertEquals(one, two);
    assertEquals(one.hashCode(), two.hashCode());
    assertNotEquals(one, key(cache, plugin("1.1"), "maven.api", repo));
    assertNotEquals(one, key(cache, plugin("1.0"), "maven.api", dir.resolve("other-repo")));
    // a project with build extensions imports its own realm, made per run: Maven's key, so the runs do not share
    Key extensionsRun1 = cache.createKey(plugin("1.0"), null, Map.of("", world.newRealm("project>x:y:1")), null,
        central, session(repo));
    Key extensionsRun2 = cache.createKey(plugin("1.0"), null, Map.of("", world.newRealm("project>x:y:1-2")), null,
        central, session(repo));
    assertNotEquals(one, extensionsRun1);
    assertNotEquals(extensionsRun1, extensionsRun2);
  }

  @Test
  void aSecondRunTakesTheRealmAndItsContainerLearnsTheMojos() throws Exception {
    Path repo = dir.resolve("repo");
    Path jar = pluginJar(repo.resolve("org/example/demo-maven-plugin/1.0/demo-maven-plugin-1.0.jar"), "1.0");
    AtomicInteger made = new AtomicInteger();
    first = container("core-1");
    KeptPluginRealms run1 = new KeptPluginRealms(first);
    CacheRecord record = run1.get(key(run1, plugin("1.0"), "maven.api-of-run-1", repo), () -> made(jar, made));
    assertTrue(KeptPluginRealms.keptRealmIds().contains("maven.api-of-run-1"),
        "the realm the kept one imports from would be disposed after the run");

    second = container("core-2");
    String mojo = "org.example:demo-maven-plugin:1.0:go";
    assertFalse(knows(second, record.getRealm(), mojo));
    KeptPluginRealms run2 = new KeptPluginRealms(second);
    CacheRecord taken = run2.get(key(run2, plugin("1.0"), "maven.api-2", repo), () -> made(jar, made));

    assertSame(record.getRealm(), taken.getRealm());
    assertEquals(1, made.get(), "the second run resolved the plugin again");
    assertTrue(knows(second, taken.getRealm(), mojo), "the second run's container does not know the mojo");
    assertTrue(KeptPluginRealms.keptRealmIds().contains(record.getRealm().getId()));
  }

  @Test
  void aRealmWhoseJarChangedIsDisposedAndMadeAgain() throws Exception {
    Path repo = dir.resolve("repo");
    Path jar = pluginJar(repo.resolve("org/example/demo-maven-plugin/1.0/demo-maven-plugin-1.0.jar"), "1.0");
    AtomicInteger made = new AtomicInteger();
    KeptPluginRealms run1 = new KeptPluginRealms(null);
    CacheRecord old = run1.get(key(run1, plugin("1.0"), "maven.api", repo), () -> made(jar, made));
    try (OutputStream more = Files.newOutputStream(jar, java.nio.file.StandardOpenOption.APPEND)) {
      more.write(new byte[] {0}); // a rebuilt SNAPSHOT: another size
    }
    KeptPluginRealms run2 = new KeptPluginRealms(null);
    CacheRecord fresh = run2.get(key(run2, plugin("1.0"), "maven.api", repo), () -> made(jar, made));

    assertEquals(2, made.get());
    assertNotEquals(old.getRealm().getId(), fresh.getRealm().getId());
    assertThrows(NoSuchRealmException.class, () -> world.getRealm(old.getRealm().getId()));
    assertFalse(KeptPluginRealms.keptRealmIds().contains(old.getRealm().getId()));
  }

  @Test
  void aRealmWithAnArtifactOutsideTheLocalRepositoryIsNotKept() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path jar = pluginJar(dir.resolve("reactor/target/demo-maven-plugin-1.0.jar"), "1.0");
    AtomicInteger made = new AtomicInteger();
    KeptPluginRealms run1 = new KeptPluginRealms(null);
    CacheRecord record = run1.get(key(run1, plugin("1.0"), "maven.api", repo), () -> made(jar, made));
    KeptPluginRealms run2 = new KeptPluginRealms(null);
    run2.get(key(run2, plugin("1.0"), "maven.api", repo), () -> made(jar, made));

    assertEquals(2, made.get());
    assertFalse(KeptPluginRealms.keptRealmIds().contains(record.getRealm().getId()));
  }
}
