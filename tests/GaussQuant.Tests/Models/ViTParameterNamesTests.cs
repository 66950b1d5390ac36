using GaussQuant.Experiments;
using GaussQuant.Models;
using GaussQuant.Quantization;

namespace GaussQuant.Tests.Models;

/// <summary>
/// The ViT of the bsqvit configs (spec §1.7) under the authors' keys and shapes (bsqvit_state_dict_keys.txt), built from
/// its options and from the authors' three full-size YAMLs.
/// </summary>
public class ViTParameterNamesTests
{
    [SkippableFact]
    public void TheBsqVitShapeHasTheAuthorsKeysAndShapesInTheirOrder()
    {
        string keyFile = TestPaths.RequireShared("spec", "bsqvit_state_dict_keys.txt");
        var options = new ViTOptions();
        using var encoder = new ViTEncoder(options);
        using var decoder = new ViTDecoder(options);
        Assert.Equal(StateDictListing.Read(keyFile, "encoder."), StateDictListing.Lines("encoder.", encoder));
        Assert.Equal(StateDictListing.Read(keyFile, "decoder."), StateDictListing.Lines("decoder.", decoder));
        Assert.Equal(86_016_032, encoder.parameters().Sum(parameter => parameter.numel()));
        Assert.Equal(88_809_408, decoder.parameters().Sum(parameter => parameter.numel()));
    }

    [SkippableTheory]
    [InlineData("bsqvit_gq_0.25.yaml", 1)]
    [InlineData("bsqvit_gq_0.50.yaml", 2)]
    [InlineData("bsqvit_gq_1.00.yaml", 4)]
    public void TheAuthorsBsqVitYamlsDescribeTheSpecsViTWithBlcGaussianQuant(string file, int codebooksPerPosition)
    {
        var config = ExperimentLoader.Load(TestPaths.RequireShared("reference-configs", file));
        Assert.Equal(new ViTOptions(), config.Model.Encoder);
        Assert.Equal(new ViTOptions(), config.Model.Decoder);
        Assert.Equal(LatentLayout.Blc, Assert.IsType<GaussianQuantizerOptions>(config.Model.Quantizer).Layout);
        Assert.Equal(codebooksPerPosition, config.Model.CodebooksPerPosition);
        Assert.Equal((-1.0, 1.0), config.Model.OutputClampRange);
        Assert.Equal(86_016_032 + 88_809_408, config.Model.Encoder.EncoderParameters() + config.Model.Decoder.DecoderParameters());
    }

    /// <summary>The whole model (the regularizer adds no keys: its codebook is regenerated from the seed), built once: the three configs share the networks.</summary>
    [SkippableFact]
    public void TheAuthorsBsqVitYamlBuildsExactlyTheSpecsKeyList()
    {
        string keyFile = TestPaths.RequireShared("spec", "bsqvit_state_dict_keys.txt");
        var config = ExperimentLoader.Load(TestPaths.RequireShared("reference-configs", "bsqvit_gq_0.25.yaml"));
        using var model = ModelFactory.Create(config.Model);
        var expected = StateDictListing.Read(keyFile, "encoder.").Concat(StateDictListing.Read(keyFile, "decoder."));
        Assert.Equal(expected, StateDictListing.Lines("", model));
    }
}
