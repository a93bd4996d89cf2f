// Two IMMUTABLE repositories (the base image's and the service's), and two global settings files: both name
// the base image localhost:<port>/its-creds-base:base-1 (a settings profile property, since the port is the
// stand-in's); one also holds the <server> with the registry's credentials for the host localhost.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createRepository('its-creds-base')
  aws.createRepository('its-creds')
  def baseImage = "localhost:${aws.endpoint().port}/its-creds-base:base-1"
  def profile = """
  <profiles>
    <profile>
      <id>its-base-image</id>
      <activation><activeByDefault>true</activeByDefault></activation>
      <properties><its.baseImage>${baseImage}</its.baseImage></properties>
    </profile>
  </profiles>"""
  new File(basedir, 'settings-without-server.xml').text = "<settings>${profile}\n</settings>\n"
  def password = aws.registrySecrets()[0]
  new File(basedir, 'settings-with-server.xml').text = """<settings>
  <servers>
    <server>
      <id>localhost</id>
      <username>AWS</username>
      <password>${password}</password>
    </server>
  </servers>${profile}
</settings>
"""
} finally {
  aws.close()
}
return true
