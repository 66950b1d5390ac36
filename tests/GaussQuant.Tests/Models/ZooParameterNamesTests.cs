using GaussQuant.Config;
using GaussQuant.Models;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Models;

/// <summary>
/// The authors' full-size baseline configs build exactly the keys and shapes of the spec's key list
/// (sd3unet_state_dict_keys.txt, written for the z = 16, double_z configs), with the encoder's output and the
/// decoder's input sized by the config's z_channels and double_z, and the regularizer's own entries (spec §1.6).
/// </summary>
public class ZooParameterNamesTests
{
    [SkippableTheory]
    [InlineData("sd3unet_vq_16.yaml", 16, "regularization.embedding.weight (65536, 16)")]
    [InlineData("sd3unet_fsq_16.yaml", 6, "regularization.levels (6,)")]
    [InlineData("sd3unet_lfq_16.yaml", 16, "")]
    [InlineData("sd3unet_bsq_16.yaml", 16, "")]
    [InlineData("sd3unet_gq_0.25_gaussian.yaml", 32, "")]
    [InlineData("sd3unet_gaussian_kl_0.64.yaml", 32, "")]
    public void TheAuthorsBaselineYamlsBuildTheAuthorsKeys(string file, int encoderOutputChannels, string regularizerKey)
    {
        string keyFile = TestPaths.RequireShared("spec", "sd3unet_state_dict_keys.txt");
        var config = ExperimentLoader.Load(TestPaths.RequireShared("reference-configs", file));
        using var model = ModelFactory.Create(config.Model);
        int latentChannels = config.Model.Encoder.LatentChannels;
        var expected = StateDictListing.Read(keyFile, "encoder.").Concat(StateDictListing.Read(keyFile, "decoder."))
            .Select(line => line switch
            {
                "encoder.conv_out.weight (32, 512, 3, 3)" => $"encoder.conv_out.weight ({encoderOutputChannels}, 512, 3, 3)",
                "encoder.conv_out.bias (32,)" => $"encoder.conv_out.bias ({encoderOutputChannels},)",
                "decoder.conv_in.weight (512, 16, 3, 3)" => $"decoder.conv_in.weight (512, {latentChannels}, 3, 3)",
                _ => line,
            })
            .Concat(regularizerKey.Length > 0 ? [regularizerKey] : [])
            .Order(StringComparer.Ordinal);
        var actual = StateDictListing.Lines("", model).Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }
}
