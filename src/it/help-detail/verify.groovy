// ecs:help -Ddetail lists every goal of the plugin descriptor and documents every parameter that has a user
// property (so -D spellings are discoverable from the command line).
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')

def descriptor = new groovy.xml.XmlSlurper().parse(new File(basedir, '../../classes/META-INF/maven/plugin.xml'))
def goals = descriptor.mojos.mojo.collect { it.goal.text() }
assert goals.contains('help')
goals.each { goal ->
  assert log.contains("ecs:${goal}") : "help does not list ecs:${goal}"
}
def properties = descriptor.mojos.mojo.parameters.parameter.findAll { it.editable.text() == 'true' }
    .collect { descriptor.mojos.mojo.configuration.children().find { c -> c.name() == it.name.text() } }
    .findAll { it != null && it.text().startsWith('${ecs.') }
    .collect { it.text().replaceAll(/^\$\{|\}$/, '') }
    .unique()
properties.each { property ->
  assert log.contains("User property: ${property}") : "help does not document ${property}"
}
println "help documents ${goals.size()} goals and ${properties.size()} user properties"
return true
