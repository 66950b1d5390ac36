using GaussQuant.Imaging;
using GaussQuant.Pipelines;

namespace GaussQuant.Tests.Pipelines;

public class StagedImagesTests
{
    private static RgbImage Gray(byte value) => new(2, 2, Enumerable.Repeat(value, 12).ToArray());

    [Fact]
    public void AMoveThatFailsMidwayPutsBackWhatTheEarlierMovesReplaced()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder["a.png"], "old a");
        using var staged = new StagedImages(folder.Path);
        staged.Add(Gray(10));
        staged.Add(Gray(20));
        // The second staged image vanishes (as a failing disk would lose it): its move fails after the first one's.
        string staging = Assert.Single(Directory.GetDirectories(folder.Path, ".gq-staging-*"));
        File.Delete(Path.Combine(staging, "1.png"));

        var error = Assert.Throws<IOException>(() => staged.Commit(["a.png", "b.png"], overwrite: true));
        Assert.Contains("nothing was written", error.Message);
        Assert.Equal("old a", File.ReadAllText(folder["a.png"]));
        Assert.False(File.Exists(folder["b.png"]));
    }
}
