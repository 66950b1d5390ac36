using GaussQuant.Config;
using GaussQuant.Quantization;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Config;

/// <summary>The authors' baseline configs (spec §3, §2.8) and the target registry that maps them onto our quantizers.</summary>
public class ZooConfigTests
{
    private static string ZooConfig(string kind) => TestPaths.Fixture("zoo", kind, "config.yaml");

    [SkippableTheory]
    [InlineData("sd3unet_vq_16.yaml", QuantizerKind.Vq, 1, 65536L, "codebook_loss")]
    [InlineData("sd3unet_fsq_16.yaml", QuantizerKind.Fsq, 1, 64000L, "")]
    [InlineData("sd3unet_lfq_16.yaml", QuantizerKind.Lfq, 1, 65536L, "entropy_aux_loss,commit_loss")]
    [InlineData("sd3unet_bsq_16.yaml", QuantizerKind.Bsq, 1, 65536L, "entropy_aux_loss")]
    [InlineData("sd3unet_gq_0.25_gaussian.yaml", QuantizerKind.GaussianKl, 0, 0L, "")]
    [InlineData("sd3unet_gaussian_kl_0.64.yaml", QuantizerKind.GaussianKl, 0, 0L, "kl")]
    public void TheAuthorsBaselineConfigsLoad(string file, QuantizerKind kind, int tokensPerPosition, long codebookSize, string weighted)
    {
        var model = ExperimentLoader.Load(TestPaths.RequireShared("reference-configs", file)).Model;
        Assert.Equal(kind, model.Quantizer.Kind);
        Assert.Equal(tokensPerPosition, model.CodebooksPerPosition);
        Assert.Equal(codebookSize, model.Tokens?.CodebookSize ?? 0);
        Assert.Equal(weighted.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(), model.Loss!.RegularizationWeights.Keys.Order());
    }

    [Fact]
    public void FsqCarriesItsLevelsAndTheirCodebookSize()
    {
        var model = ExperimentLoader.Load(ZooConfig("fsq")).Model;
        var fsq = Assert.IsType<GaussQuant.Quantization.Fsq.FsqQuantizerOptions>(model.Quantizer);
        Assert.Equal([8, 5, 5, 5], fsq.Levels);
        Assert.Equal(1000, model.Tokens!.CodebookSize);
        Assert.Equal(Math.Log2(1000), model.Tokens.BitsPerToken, 12);
    }

    [Fact]
    public void AnUnknownRegularizerTargetListsTheKnownOnes()
    {
        var error = Assert.Throws<ConfigException>(() => ExperimentLoader.Load(ZooConfig("vq"),
            ["model.params.regularizer_config.target=pit.quantization.rq.ResidualQuantizer"]));
        Assert.Contains("unknown target 'pit.quantization.rq.ResidualQuantizer'", error.Message);
        foreach (string known in new[]
                 {
                     "pit.quantization.gaussian.GaussianQuantRegularizer", "pit.quantization.gaussian.GaussianQuantRegularizer2",
                     "pit.quantization.vq.VQQuantizer", "pit.quantization.fsq.FSQQuantizer", "pit.quantization.lfq.LFQQuantizer",
                     "pit.quantization.bsq.BSQQuantizer", "pit.quantization.gaussian.IdentityRegularizer",
                     "pit.quantization.gaussian.GaussianRegularizer",
                 })
            Assert.Contains(known, error.Message);
        Assert.Contains("regularizer_config.target", error.Message);
    }

    [Theory]
    [InlineData("vq", "model.params.loss_config.params.regularization_weights.commit_loss=0.25", "'commit_loss' is not a loss term of the Vq regularizer (its terms: codebook_loss)")]
    [InlineData("fsq", "model.params.loss_config.params.regularization_weights.kl_loss=0.1", "'kl_loss' is not a loss term of the Fsq regularizer (its terms: none)")]
    [InlineData("vq", "model.params.encoder_config.params.double_z=true", "the Vq regularizer takes the latent itself (double_z: false)")]
    [InlineData("gaussian_kl", "model.params.encoder_config.params.double_z=false", "the GaussianKl regularizer needs the encoder to output mean and log-variance")]
    [InlineData("fsq", "model.params.encoder_config.params.z_channels=6", "FSQ with 4 levels needs 4 latent channels (z_channels), not 6")]
    [InlineData("lfq", "model.params.regularizer_config.params.num_codebooks=1", "LFQ with 1 codebooks of 256 codes needs 8 latent channels")]
    [InlineData("bsq", "model.params.regularizer_config.params.codebook_size=4", "BSQ codebooks are one bit")]
    [InlineData("vq", "model.params.regularizer_config.params.dim=3", "the latent channels (8) must be a positive multiple of the codebook dimension (3)")]
    [InlineData("vq", "model.params.regularizer_config.params.format=blc", "'blc' is not supported here")]
    [InlineData("gaussian_kl", "model.params.regularizer_config.params.mode=target", "only 'even'")]
    public void ConfigsThatDoNotFitTheirRegularizerAreClearErrors(string kind, string change, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ExperimentLoader.Load(ZooConfig(kind), [change]));
        Assert.Contains(message, error.Message);
    }
}
