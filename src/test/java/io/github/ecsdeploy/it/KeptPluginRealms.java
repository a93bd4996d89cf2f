package io.github.ecsdeploy.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.RepositoryUtils;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.scope.internal.MojoExecutionScopeModule;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.DefaultPluginRealmCache;
import org.apache.maven.plugin.PluginContainerException;
import org.apache.maven.plugin.PluginResolutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.descriptor.PluginDescriptorBuilder;
import org.apache.maven.session.scope.internal.SessionScopeModule;
import org.codehaus.plexus.DefaultPlexusContainer;
import org.codehaus.plexus.PlexusContainer;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.codehaus.plexus.classworlds.realm.NoSuchRealmException;
import org.codehaus.plexus.component.repository.ComponentDescriptor;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.graph.DependencyFilter;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.sisu.Priority;

/**
 * The plugin realm cache of the warm Maven JVMs ({@link WarmMaven}): a plugin's class realm outlives the Maven run
 * that made it, so the next run in the same JVM that uses the same plugin takes the realm, with its classes loaded,
 * initialised and compiled, instead of resolving the plugin's dependencies and loading its classes again. This is
 * what the Maven daemon (mvnd) does with its own plugin realm cache; Maven itself keeps a realm for one build only
 * ({@link DefaultPluginRealmCache}, disposed with the build's container).
 *
 * <p>WarmMaven puts this class into Maven's core realm; {@code @Priority} makes Maven's container inject it wherever
 * Maven asks for its {@code PluginRealmCache}. What it changes for a run:
 * <ul>
 *   <li>a realm is kept only for a plugin of the local repository resolved without a parent realm and importing
 *       only Maven's API realm (no build extensions of the project); any other realm is made and disposed per run,
 *       as by Maven;</li>
 *   <li>the key leaves out the reactor and the run's own API realm (Maven's key has both, so no key of one run
 *       would equal one of the next), so ITs of different projects share a plugin's realm; a realm that resolved
 *       any artifact outside the local repository (from a reactor) is not kept;</li>
 *   <li>a kept realm whose artifact files changed (size or time) is disposed and made anew;</li>
 *   <li>each run's container is new: the first time a run takes a kept realm, its components (the mojos of the
 *       plugin descriptor, and what the realm's own index declares) are registered in that container, as Maven
 *       does for a realm it has just made.</li>
 * </ul>
 * A plugin's static state therefore lives on between the runs of one JVM, as under mvnd. Runs that need a JVM of
 * their own (see WarmMaven) and the demo still make every realm anew.
 */
@Named
@Singleton
@Priority(10)
public final class KeptPluginRealms extends DefaultPluginRealmCache {

  /** The realms kept by this JVM, for every run in it. */
  private static final Map<Key, Kept> KEPT = new ConcurrentHashMap<>();

  private final PlexusContainer container;

  /** The kept realms whose components this run's container knows. */
  private final Set<ClassRealm> registered = ConcurrentHashMap.newKeySet();

  @Inject
  public KeptPluginRealms(PlexusContainer container) {
    this.container = container;
  }

  /**
   * The ids of the realms kept now, with the realms they import from (the {@code maven.api} realm of the run that
   * made them): WarmMaven disposes every other realm a run made, as Maven would.
   */
  public static Set<String> keptRealmIds() {
    Set<String> ids = new HashSet<>();
    for (Kept kept : KEPT.values()) {
      ClassRealm realm = kept.record().getRealm();
      ids.add(realm.getId());
      for (ClassRealm imported : realm.getImportRealms()) {
        ids.add(imported.getId());
      }
    }
    return ids;
  }

  /** A kept realm, and the size and time of each of its files when it was made. */
  private record Kept(CacheRecord record, List<String> stamps) {}

  /**
   * Maven's key ({@code DefaultPluginRealmCache.CacheKey}, whose fields are private) without the reactor and the API
   * realm: plugin, dependency filter, remote repositories (a repository manager's mirrored ones, as Maven counts
   * them) and local repository.
   */
  private static final class KeptKey implements Key {
    private final Plugin plugin;
    private final DependencyFilter filter;
    private final List<RemoteRepository> repositories;
    private final LocalRepository localRepository;
    private final int hash;

    KeptKey(Plugin plugin, DependencyFilter filter, List<RemoteRepository> repositories,
        LocalRepository localRepository) {
      this.plugin = plugin.clone();
      this.filter = filter;
      this.repositories = new ArrayList<>();
      for (RemoteRepository repository : repositories) {
        if (repository.isRepositoryManager()) {
          this.repositories.addAll(repository.getMirroredRepositories());
        } else {
          this.repositories.add(repository);
        }
      }
      this.localRepository = localRepository;
      this.hash = Objects.hash(pluginHashCode(plugin), filter, RepositoryUtils.repositoriesHashCode(this.repositories),
          localRepository);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeptKey that
          && pluginEquals(plugin, that.plugin)
          && Objects.equals(filter, that.filter)
          && RepositoryUtils.repositoriesEquals(repositories, that.repositories)
          && Objects.equals(localRepository, that.localRepository);
    }

    @Override
    public String toString() {
      return plugin.getId();
    }
  }

  @Override
  public Key createKey(Plugin plugin, ClassLoader parentRealm, Map<String, ClassLoader> foreignImports,
      DependencyFilter dependencyFilter, List<RemoteRepository> repositories, RepositorySystemSession session) {
    if (parentRealm != null || !onlyMavenApi(foreignImports)) {
      return super.createKey(plugin, parentRealm, foreignImports, dependencyFilter, repositories, session);
    }
    return new KeptKey(plugin, dependencyFilter, repositories, session.getLocalRepository());
  }

  /**
   * Whether a realm imports only what every plugin realm imports: Maven's API realm (a project without build
   * extensions). That realm is made anew with each run's container, with the same exports of the same core realm, so
   * it is left out of the key.
   */
  private static boolean onlyMavenApi(Map<String, ClassLoader> foreignImports) {
    return foreignImports != null && foreignImports.size() == 1
        && foreignImports.get("") instanceof ClassRealm realm && realm.getId().startsWith("maven.api");
  }

  @Override
  public CacheRecord get(Key key) {
    Kept kept = key instanceof KeptKey ? KEPT.get(key) : null;
    return kept != null && registered.contains(kept.record().getRealm()) ? kept.record() : super.get(key);
  }

  @Override
  public CacheRecord get(Key key, PluginRealmSupplier supplier)
      throws PluginResolutionException, PluginContainerException {
    if (!(key instanceof KeptKey keptKey)) {
      return super.get(key, supplier);
    }
    synchronized (KEPT) {
      Kept kept = KEPT.get(key);
      if (kept != null && !kept.stamps().equals(stamps(kept.record()))) {
        dispose(kept.record().getRealm());
        KEPT.remove(key);
        kept = null;
      }
      if (kept == null) {
        // Maven's own way: resolve, make the realm and register its components in this container
        CacheRecord made = super.get(key, supplier);
        if (inLocalRepository(made, keptKey.localRepository)) {
          cache.remove(key);
          KEPT.put(key, new Kept(made, stamps(made)));
          registered.add(made.getRealm());
        }
        return made;
      }
      if (registered.add(kept.record().getRealm())) {
        register(keptKey.plugin, kept.record());
      }
      return kept.record();
    }
  }

  /** Registers a kept realm's components in this run's container, as Maven does for a realm it has just made. */
  private void register(Plugin plugin, CacheRecord record) throws PluginContainerException {
    ClassRealm realm = record.getRealm();
    try {
      PluginDescriptor descriptor = descriptor(plugin, record);
      for (ComponentDescriptor<?> component : descriptor.getComponents()) {
        component.setRealm(realm);
        container.addComponentDescriptor(component);
      }
      ((DefaultPlexusContainer) container).discoverComponents(realm, new SessionScopeModule(container),
          new MojoExecutionScopeModule(container));
    } catch (Exception e) {
      registered.remove(realm);
      throw new PluginContainerException(plugin, realm, "Could not register the components of the kept realm of "
          + plugin.getId() + " in this run's container: " + e.getMessage() + ". The ITs can give each run realms of"
          + " its own, as mvn does: -Dit.warmMaven.keepPluginRealms=false (see src/site/markdown/contributing.md).",
          e);
    }
  }

  /** The plugin descriptor in the plugin's own jar (the first artifact of its realm that has one). */
  private static PluginDescriptor descriptor(Plugin plugin, CacheRecord record) throws Exception {
    for (Artifact artifact : record.getArtifacts()) {
      if (plugin.getGroupId().equals(artifact.getGroupId()) && plugin.getArtifactId().equals(artifact.getArtifactId())
          && artifact.getFile() != null && artifact.getFile().isFile()) {
        try (JarFile jar = new JarFile(artifact.getFile())) {
          ZipEntry entry = jar.getEntry("META-INF/maven/plugin.xml");
          if (entry != null) {
            try (Reader reader = new InputStreamReader(jar.getInputStream(entry), StandardCharsets.UTF_8)) {
              return new PluginDescriptorBuilder().build(reader, artifact.getFile() + "!/META-INF/maven/plugin.xml");
            }
          }
        }
      }
    }
    throw new IOException("no META-INF/maven/plugin.xml in the artifact of " + plugin.getId());
  }

  private static boolean inLocalRepository(CacheRecord record, LocalRepository local) {
    if (local == null || local.getBasedir() == null) {
      return false;
    }
    String base = local.getBasedir().getAbsoluteFile().toPath().normalize() + File.separator;
    for (Artifact artifact : record.getArtifacts()) {
      File file = artifact.getFile();
      if (file == null || !file.getAbsoluteFile().toPath().normalize().toString().startsWith(base)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> stamps(CacheRecord record) {
    List<String> stamps = new ArrayList<>();
    for (Artifact artifact : record.getArtifacts()) {
      File file = artifact.getFile();
      stamps.add(file == null ? "-" : file.length() + "@" + file.lastModified());
    }
    return stamps;
  }

  private static void dispose(ClassRealm realm) {
    try {
      realm.getWorld().disposeRealm(realm.getId());
    } catch (NoSuchRealmException e) {
      // already gone
    }
  }
}
