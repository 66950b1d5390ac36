using GaussQuant.Imaging;
using GaussQuant.Models;
using GaussQuant.Pipelines;

namespace GaussQuant.Tests.Pipelines;

public class ReconstructPipelineTests
{
    private static ReconstructOptions Options(IReadOnlyList<string> inputs, string output, ReconstructionMode mode = ReconstructionMode.Vq,
        bool skipBad = false, bool noResize = false, ulong? seed = null) => new()
    {
        Images = new ImageInputOptions { Inputs = inputs, BatchSize = 2, SkipBad = skipBad, NoResize = noResize },
        OutputFolder = output,
        Mode = mode,
        Seed = seed,
        Overwrite = true,
    };

    /// <summary>in/: three pictures and a corrupt file; out/: an old picture0.png. Returns the corrupt file.</summary>
    private static string PicturesWithACorruptOneAndAnOldOutput(TemporaryFolder folder)
    {
        PipelineTestModel.WritePictures(folder["in"], 3);
        Directory.CreateDirectory(folder["out"]);
        File.WriteAllText(folder["out/picture0.png"], "old");
        return PipelineTestModel.WriteCorrupt(folder["in"], "picture1b.png");
    }

    [Fact]
    public void ABadImageLeavesTheOutputFolderAsItWas()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        string corrupt = PicturesWithACorruptOneAndAnOldOutput(folder);

        var error = Assert.Throws<InvalidDataException>(() => ReconstructPipeline.Run(model.Autoencoder, Options([folder["in"]], folder["out"])));
        Assert.Contains(corrupt, error.Message);
        Assert.Equal(new[] { "picture0.png" }, Directory.GetFileSystemEntries(folder["out"]).Select(Path.GetFileName));
        Assert.Equal("old", File.ReadAllText(folder["out/picture0.png"]));

        Assert.Throws<InvalidDataException>(() => ReconstructPipeline.Run(model.Autoencoder, Options([folder["in"]], folder["new"])));
        Assert.False(Directory.Exists(folder["new"]));
    }

    [Fact]
    public void SkippingBadImagesWritesTheRestNamedAfterTheInputs()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        string corrupt = PicturesWithACorruptOneAndAnOldOutput(folder);

        var result = ReconstructPipeline.Run(model.Autoencoder, Options([folder["in"]], folder["out"], skipBad: true));
        Assert.Equal(corrupt, Assert.Single(result.Skipped).File);
        Assert.Equal(new[] { "picture0.png", "picture1.png", "picture2.png" }, Directory.GetFileSystemEntries(folder["out"]).Select(Path.GetFileName).Order());
        Assert.Equal(16, ImageDecoder.Decode(folder["out/picture0.png"]).Width);
    }

    [Fact]
    public void ImagesOfDifferentSizesKeepTheirSizesWithoutResizing()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var wide = PipelineTestModel.WritePictures(folder["wide"], 3, width: 24, height: 10);
        var square = PipelineTestModel.WritePictures(folder["square"], 1, width: 8, height: 8);
        var result = ReconstructPipeline.Run(model.Autoencoder, Options([wide[0], square[0], wide[1], wide[2]], folder["out"], noResize: true));
        var sizes = result.Images.Select(path => ImageDecoder.Decode(path)).Select(image => (image.Width, image.Height)).ToList();
        Assert.Equal(new[] { (24, 10), (8, 8), (24, 10), (24, 10) }, sizes);
        Assert.Equal(new[] { "picture0.png", "picture0_1.png", "picture1.png", "picture2.png" }, result.Images.Select(Path.GetFileName));
    }

    [Fact]
    public void MeanIsDeterministicAndSampleFollowsTheSeed()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 2);
        byte[] Run(string name, ReconstructionMode mode, ulong? seed = null) =>
            File.ReadAllBytes(ReconstructPipeline.Run(model.Autoencoder, Options(pictures, folder[name], mode, seed: seed)).Images[1]);

        Assert.Equal(Run("mean1", ReconstructionMode.Mean), Run("mean2", ReconstructionMode.Mean));
        Assert.Equal(Run("sample1", ReconstructionMode.Sample, 7), Run("sample2", ReconstructionMode.Sample, 7));
        Assert.NotEqual(Run("sample3", ReconstructionMode.Sample, 7), Run("sample4", ReconstructionMode.Sample, 8));
        Assert.NotEqual(Run("mean3", ReconstructionMode.Mean), Run("vq", ReconstructionMode.Vq));
    }
}
