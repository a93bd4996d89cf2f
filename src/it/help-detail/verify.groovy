// ecs:help -Ddetail lists every goal and, under each goal, documents the user property of each parameter, so the
// -D spellings are discoverable from the command line. The expectations are written here by hand (from the
// parameter tables of src/site/markdown/goals.md), not read from the generated plugin.xml: that file comes from
// the same annotations that produce the help, so a parameter that lost its property would vanish from both and pass unnoticed.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')

def shared = ['ecs.region', 'ecs.profile', 'ecs.endpoint', 'ecs.roleArn', 'ecs.webIdentityTokenVariable',
              'ecs.roleSessionDuration', 'ecs.skip']
def expected = [
    'validate-tag'     : shared + ['ecs.tag', 'ecs.validateTag.allowPrerelease', 'ecs.validateTag.requireProjectVersion',
                                   'ecs.validateTag.checkRegistry', 'ecs.validateTag.allowDowngrade', 'ecs.repository',
                                   'ecs.cluster', 'ecs.service', 'ecs.container', 'ecs.validateTag.skip'],
    'push-image'       : shared + ['ecs.repository', 'ecs.registry', 'ecs.tag', 'ecs.pushImage.baseImage',
                                   'ecs.pushImage.mainClass', 'ecs.pushImage.jvmFlags', 'ecs.pushImage.ports',
                                   'ecs.pushImage.format', 'ecs.pushImage.skip'],
    'register-task-def': shared + ['ecs.cluster', 'ecs.service', 'ecs.taskDefinition', 'ecs.taskDefinitionFile',
                                   'ecs.container', 'ecs.image', 'ecs.repository', 'ecs.registry',
                                   'ecs.registerTaskDef.skip'],
    'update-service'   : shared + ['ecs.cluster', 'ecs.service', 'ecs.taskDefinitionArn',
                                   'ecs.updateService.forceNewDeployment', 'ecs.updateService.wait',
                                   'ecs.updateService.pollInterval', 'ecs.updateService.timeout',
                                   'ecs.updateService.skip'],
    'run-task'         : shared + ['ecs.cluster', 'ecs.service', 'ecs.taskDefinitionArn', 'ecs.runTask.taskDefinition',
                                   'ecs.runTask.container', 'ecs.runTask.command', 'ecs.runTask.timeout',
                                   'ecs.runTask.pollInterval', 'ecs.repository', 'ecs.registry', 'ecs.dryRun',
                                   'ecs.runTask.skip'],
    'help'             : ['detail', 'goal'],
]

// The help prints each goal as a line "ecs:<goal>" followed by its description and parameters.
def lines = log.readLines().collect { it.replaceFirst(/^\[INFO\] ?/, '') }
def sections = [:]
def current = null
lines.each { line ->
  def m = line =~ /^ecs:([a-z-]+)\s*$/
  if (m) {
    current = m[0][1]
    sections[current] = []
  } else if (current != null) {
    sections[current] << line
  }
}
expected.each { goal, properties ->
  assert sections.containsKey(goal) : "help does not list ecs:${goal}; it lists ${sections.keySet()}"
  def text = sections[goal].join('\n')
  properties.each { property ->
    assert text.contains("User property: ${property}") : "help for ecs:${goal} does not document ${property}"
  }
}
println "help documents ${expected.size()} goals with the properties listed by hand"
return true
