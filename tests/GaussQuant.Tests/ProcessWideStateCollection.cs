namespace GaussQuant.Tests;

/// <summary>
/// Tests that change or depend on process-wide state run in this collection, which xunit runs on its own after the
/// parallel ones: those that set <see cref="GaussQuant.IO.ResourceLimits.Current"/>, and those that need torch's
/// global generator to themselves (a trainer seeds it and initialises its model from it; any test building a network
/// meanwhile would draw from it and change the weights).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideStateCollection
{
    public const string Name = "process-wide state";
}
