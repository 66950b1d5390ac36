namespace GaussQuant.Tests;

/// <summary>
/// Tests that change the process-wide <see cref="GaussQuant.IO.ResourceLimits.Current"/> run in this collection,
/// which xunit runs on its own after the parallel ones, so no other test sees their limits.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResourceLimitsCollection
{
    public const string Name = "process-wide resource limits";
}
