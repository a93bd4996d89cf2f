// The artifacts a release uploads, checked against Maven Central's requirements
// (https://central.sonatype.org/publish/requirements/), as invoker:install put them in the IT repository.
import java.util.zip.ZipFile

def dir = new File(localRepositoryPath, 'io/github/ecsdeploy/ecs-deploy-maven-plugin')
def versions = dir.listFiles().findAll { it.isDirectory() }
assert versions.size() == 1 : "expected one installed version under ${dir}, found ${versions*.name}"
def version = versions[0].name
def base = new File(versions[0], "ecs-deploy-maven-plugin-${version}")

def problems = []
def file = { String suffix ->
  def f = new File(base.path + suffix)
  if (!f.isFile() || f.length() == 0) problems << "missing or empty: ${f.name}"
  f
}

// 1. The POM: coordinates plus the metadata Central validates.
def pom = new groovy.xml.XmlSlurper().parse(file('.pom'))
['name', 'description', 'url'].each { if (pom."$it".text().trim().isEmpty()) problems << "POM has no <${it}>" }
if (pom.licenses.license.size() == 0 || pom.licenses.license.every { it.name.text().isEmpty() || it.url.text().isEmpty() }) {
  problems << 'POM has no <licenses><license> with name and url'
}
if (pom.developers.developer.size() == 0 || pom.developers.developer.every { it.name.text().isEmpty() }) {
  problems << 'POM has no <developers><developer> with a name'
}
['connection', 'developerConnection', 'url'].each {
  if (pom.scm."$it".text().isEmpty()) problems << "POM has no <scm><${it}>"
}
if (pom.packaging.text() != 'maven-plugin') problems << "packaging is '${pom.packaging.text()}', not maven-plugin"

// 2. The plugin jar carries its descriptor and the licence.
def entries = { File f -> f.isFile() ? new ZipFile(f).withCloseable { z -> z.entries().collect { it.name } } : [] }
def main = entries(file('.jar'))
if (!main.contains('META-INF/maven/plugin.xml')) problems << 'plugin jar has no META-INF/maven/plugin.xml'

// 2b. One jar (the shade plugin): the libraries the goals run with are inside it, so the POM names none for Maven to
// resolve, and Maven's own SLF4J (which its core realm gives every plugin) is not.
pom.dependencies.dependency.each { d ->
  def scope = d.scope.text()
  if (!(scope in ['provided', 'test'])) {
    problems << "POM still names ${d.groupId.text()}:${d.artifactId.text()} (scope '${scope ?: 'compile'}'); the shaded jar carries it"
  }
}
['software/amazon/awssdk/services/ecs/EcsClient.class', 'software/amazon/awssdk/services/ecr/EcrClient.class',
 'com/google/cloud/tools/jib/api/Jib.class', 'com/fasterxml/jackson/databind/ObjectMapper.class',
 'com/github/zafarkhaja/semver/Version.class', 'META-INF/NOTICE',
 // Guava's failureaccess: Jib's Guava needs it, and Maven's own (provided) copy once kept it out of the jar
 'com/google/common/util/concurrent/internal/InternalFutureFailureAccess.class'].each {
  if (!main.contains(it)) problems << "plugin jar lacks ${it}"
}
if (main.any { it.startsWith('org/slf4j/') }) problems << 'plugin jar carries org/slf4j (Maven provides SLF4J)'
if (main.any { it.endsWith('module-info.class') }) problems << 'plugin jar carries a module-info.class'
def manifest = new java.util.jar.JarFile(file('.jar')).withCloseable { it.manifest.mainAttributes.getValue('Multi-Release') }
if (manifest != 'true') problems << "plugin jar's manifest says Multi-Release: ${manifest} (jackson-core's Java 9+ classes)"

// 3. Sources and Javadoc, as Central requires for every jar.
def sources = entries(file('-sources.jar'))
['io/github/ecsdeploy/maven/UpdateServiceMojo.java', 'io/github/ecsdeploy/core/ServiceDeployer.java'].each {
  if (!sources.contains(it)) problems << "sources jar lacks ${it}"
}
def javadoc = entries(file('-javadoc.jar'))
['index.html', 'io/github/ecsdeploy/maven/UpdateServiceMojo.html'].each {
  if (!javadoc.contains(it)) problems << "javadoc jar lacks ${it}"
}

// 4. The licence file the POM names is in the repository root (Central shows it; users read it).
if (!new File(basedir, '../../../LICENSE').text.contains('Apache License')) problems << 'LICENSE is not the Apache licence'

assert problems.isEmpty() : "The release bundle does not meet Central's requirements:\n  " + problems.join('\n  ')
println "release bundle of ${version}: POM metadata, plugin jar (${main.size()} entries), sources (${sources.size()}), javadoc (${javadoc.size()}) complete"
return true
