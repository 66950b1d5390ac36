using GaussQuant.Checkpoints;

namespace GaussQuant.Tests.Checkpoints;

public class CheckpointConverterTests
{
    private static string Lightning => TestPaths.Fixture("checkpoints", "lightning.ckpt");

    [Fact]
    public void KeepsTheInferenceTensorsWithTheirValuesAndTheTrainingStep()
    {
        using var output = new TemporaryFile(".safetensors");
        Assert.Equal(8, CheckpointConverter.ToSafetensors(Lightning, output.Path));

        using var original = CheckpointLoader.Load(Lightning, CheckpointLoader.IsInferenceKey);
        using var converted = CheckpointLoader.Load(output.Path);
        Assert.Equal(original.Tensors.Keys.Order(), converted.Tensors.Keys.Order());
        foreach (var (key, tensor) in original.Tensors)
        {
            Assert.Equal(tensor.dtype, converted.Tensors[key].dtype);
            Assert.True(tensor.equal(converted.Tensors[key]).all().item<bool>(), key);
        }
        Assert.Equal("1234", converted.Metadata.Properties["global_step"]);
        Assert.Equal("lightning.ckpt", converted.Metadata.Properties["source"]);
        Assert.Empty(GaussQuant.Tests.IO.SpecialFiles.TemporariesBeside(output.Path));
    }

    [Fact]
    public void AllKeepsTrainingTensorsToo()
    {
        using var output = new TemporaryFile(".safetensors");
        Assert.Equal(17, CheckpointConverter.ToSafetensors(Lightning, output.Path, keepAllTensors: true));
    }

    [Fact]
    public void ACheckpointWithoutInferenceTensorsIsAnError()
    {
        using var source = new TemporaryFile(".safetensors");
        using var output = new TemporaryFile(".safetensors");
        CheckpointConverter.ToSafetensors(Lightning, source.Path, keepAllTensors: true);
        using (var all = CheckpointLoader.Load(source.Path, key => key.StartsWith("loss.")))
            GaussQuant.Checkpoints.SafetensorsFile.Write(source.Path, all.Tensors);
        var error = Assert.Throws<InvalidDataException>(() => CheckpointConverter.ToSafetensors(source.Path, output.Path));
        Assert.Contains("use --all", error.Message);
        Assert.False(File.Exists(output.Path));
    }
}
