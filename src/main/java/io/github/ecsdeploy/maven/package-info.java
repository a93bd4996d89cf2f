/**
 * The Mojos and their shared base. The only package that may import {@code org.apache.maven}: a Mojo reads
 * its parameters, builds one request, calls one core service, writes one state file and maps exceptions.
 */
package io.github.ecsdeploy.maven;
