using GaussQuant.Fuzz;
using GaussQuant.IO;
using Xunit.Abstractions;

namespace GaussQuant.Tests.Fuzzing;

/// <summary>
/// A short, seeded run of tools/fuzz over every format gq reads (about a minute in all): each mutated file must be
/// read, or refused with a typed error that names it, within the per-case time and memory bounds. The long run is
/// <c>tools/fuzz/run.sh</c> (docs/security.md).
/// </summary>
[Collection(ProcessWideStateCollection.Name)]
public class FuzzSmokeTests(ITestOutputHelper output)
{
    private const int Seed = 2026;

    [Theory]
    [InlineData("png", 4000)]
    [InlineData("jpeg", 4000)]
    [InlineData("webp", 4000)]
    [InlineData("bmp", 4000)]
    [InlineData("npy", 2000)]
    [InlineData("json", 2000)]
    [InlineData("safetensors", 4000)]
    [InlineData("zip", 4000)]
    [InlineData("pickle", 4000)]
    [InlineData("yaml", 4000)]
    public void MutatedFilesAreReadOrRefusedCleanly(string formatName, int cases)
    {
        var format = FuzzFormats.Create(formatName, TestPaths.RepositoryRoot);
        Assert.True(FuzzCampaign.RefusedSeeds(format).Count < format.Seeds.Count, $"no {formatName} seed is readable: the campaign would test refusals only");
        var saved = ResourceLimits.Current;
        ResourceLimits.Current = FuzzLimits.Small;
        FuzzResult result;
        try
        {
            result = new FuzzCampaign { Cases = cases, Seed = Seed }.Run(format);
        }
        finally
        {
            ResourceLimits.Current = saved;
        }
        output.WriteLine($"{formatName}: {result.Cases} cases, {result.Accepted} read, {result.Refused} refused, {result.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(cases, result.Cases);
        Assert.Empty(result.Hangs);
        Assert.True(result.Crashes.Count == 0, string.Join("\n\n", result.Crashes.Select(crash => $"case {crash.Case}: {crash.Problem}")));
    }
}
