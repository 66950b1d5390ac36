namespace GaussQuant.Tests.Training;

/// <summary>
/// Tests that compare runs bit for bit after seeding LibTorch's global generator (the trainer initialises its model
/// from it) run alone: any test creating a module in parallel draws from that generator between the seed and the
/// initialisation and changes the weights.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "LibTorch's global generator";
}
