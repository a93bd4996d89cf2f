package io.github.ecsdeploy.core;

/** The dry-run switches every goal shares: {@code -Decs.dryRun} and {@code -Decs.dryRun.showValues}. */
public final class DryRun {

  /** {@code <dryRun> / -Decs.dryRun}. */
  public static final Param PARAM = new Param("dryRun", "ecs.dryRun");

  /** {@code <dryRunShowValues> / -Decs.dryRun.showValues}. */
  public static final Param SHOW_VALUES = new Param("dryRunShowValues", "ecs.dryRun.showValues");

  private DryRun() {}
}
