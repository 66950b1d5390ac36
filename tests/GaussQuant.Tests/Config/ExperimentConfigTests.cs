using GaussQuant.Models;
using GaussQuant.Training;
using GaussQuant.Config;
using GaussQuant.Quantization;
using GaussQuant.Experiments;
using GaussQuant.Training.Loop;

namespace GaussQuant.Tests.Config;

/// <summary>Mapping whole configs (the reference's, ours, broken ones) onto the typed options.</summary>
public class ExperimentConfigTests
{
    private static string Fixture(string name) => TestPaths.Fixture("config", name);

    private static string Project(string name) => Path.Combine(TestPaths.RepositoryRoot, "configs", name);

    [SkippableTheory]
    [InlineData("sd3unet_gq_0.25.yaml", GroupingVariant.Strided, 16, 1)]
    [InlineData("sd3unet_gq_0.50.yaml", GroupingVariant.Strided, 8, 2)]
    [InlineData("sd3unet_gq_1.00.yaml", GroupingVariant.Strided, 4, 4)]
    [InlineData("sd3unet_gq2_0.25.yaml", GroupingVariant.Contiguous, 16, 1)]
    [InlineData("sd3unet_gq_0.25_vf.yaml", GroupingVariant.Strided, 16, 1)]
    [InlineData("sd3unet_gq_0.25_vq.yaml", GroupingVariant.Strided, 16, 1)]
    public void TheAuthorsUNetConfigsMapOntoTheirShapes(string file, GroupingVariant variant, int group, int codebooks)
    {
        var config = ExperimentLoader.Load(TestPaths.RequireShared("reference-configs", file));
        var model = config.Model;
        Assert.Equal(1e-4, model.BaseLearningRate);
        foreach (var unet in new[] { UNet(model.Encoder), UNet(model.Decoder) })
        {
            Assert.Equal(128, unet.Channels);
            Assert.Equal([1, 2, 4, 4], unet.ChannelMultipliers);
            Assert.Equal(2, unet.ResBlocksPerLevel);
            Assert.Equal([32], unet.AttentionResolutions);
            Assert.Equal(256, unet.Resolution);
            Assert.Equal(16, unet.LatentChannels);
            Assert.Equal("vanilla", unet.AttentionType);
            Assert.Equal(8, unet.DownsamplingFactor);
        }
        Assert.True(model.Encoder.DoubleLatent);
        Assert.Equal(variant, GaussianQuant(model).Variant);
        Assert.Equal(group, GaussianQuant(model).CodebookDimension);
        Assert.Equal(65536, GaussianQuant(model).CodebookSize);
        Assert.Equal(42, GaussianQuant(model).Seed);
        Assert.Equal(1.0, GaussianQuant(model).Beta);
        Assert.Equal((-30.0, 20.0), GaussianQuant(model).LogVarianceRange);
        Assert.Equal(codebooks, model.CodebooksPerPosition);
        Assert.Null(model.OutputClampRange);

        var loss = model.Loss!;
        Assert.Equal(20001, loss.DiscriminatorStart);
        Assert.Equal(0.75, loss.DiscriminatorWeight);
        Assert.True(loss.LearnLogVariance);
        Assert.Equal(new NLayerDiscriminatorOptions { InputChannels = 3, BaseChannels = 160, LayerCount = 6, UseActNorm = true }, loss.Discriminator);
        Assert.Equal(16, config.Data!.BatchSize);
        Assert.Equal(256, config.Data.ImageSize);
        Assert.Equal(5000, config.Trainer.CheckpointEverySteps);
        Assert.Equal(10000, config.Trainer.WeightsEverySteps);
        Assert.Equal(1000, config.Trainer.ImageLogEverySteps);
        Assert.Equal(file == "sd3unet_gq2_0.25.yaml" ? 40 : 10000, config.Trainer.MaxEpochs);
    }

    [SkippableFact]
    public void TheVfConfigLoadsWithItsFoundationModelNamed()
    {
        var model = ExperimentLoader.Load(TestPaths.RequireShared("reference-configs", "sd3unet_gq_0.25_vf.yaml")).Model;
        Assert.Equal("dinov2", model.VisionFoundationModel);
        Assert.True(model.ReverseProjection);
        Assert.Equal(new Dictionary<string, double> { ["kl_loss"] = 0.1 }, model.Loss!.RegularizationWeights);
        Assert.Equal(new VfAlignmentOptions
        {
            Weight = 0.2, Adaptive = true, DistanceMatrixMargin = 0.25, CosineMargin = 0.5, DistanceMatrixWeight = 1, CosineWeight = 1,
            ReverseProjection = true,
        }, model.Loss.Alignment);
        Assert.Null(model.VisionFoundationWeights);
    }

    [SkippableFact]
    public void AConfigWithoutUseVfHasNoAlignmentEvenWithVfParams()
    {
        var model = ExperimentLoader.Load(TestPaths.RequireShared("reference-configs", "sd3unet_gq_0.25_vf.yaml"),
            ["model.params.use_vf=null", "model.params.foundation_model_weights=dinov2.safetensors"]).Model;
        Assert.Null(model.Loss!.Alignment);
        Assert.Equal("dinov2.safetensors", model.VisionFoundationWeights);
    }

    [Theory]
    [InlineData("model.params.regularizer_config.params.format=bchw", "regularizer_config.params.format: the ViT encoder gives blc latents, but the GaussianQuant regularizer takes bchw")]
    [InlineData("model.params.decoder_config.target=pit.modules.unet.Decoder", "missing required key 'model.params.decoder_config.params.ch'")]
    [InlineData("model.params.encoder_config.params.image_size=60", "image_size: must be a positive multiple of patch_size (8)")]
    [InlineData("model.params.encoder_config.params.drop_rate=0.1", "drop_rate: only 0")]
    public void AViTConfigThatCannotWorkIsAClearError(string assignment, string message)
    {
        string path = TestPaths.Fixture("vit_gq", "config.yaml");
        var error = Assert.Throws<ConfigException>(() => ExperimentLoader.Load(path, [assignment]));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("gq_0.25.yaml", 16, 65536, 1, 256)]
    [InlineData("gq_0.50.yaml", 8, 65536, 2, 256)]
    [InlineData("gq_1.00.yaml", 4, 65536, 4, 256)]
    [InlineData("gq2_0.25.yaml", 16, 65536, 1, 256)]
    [InlineData("cifar32_k4096.yaml", 16, 4096, 1, 32)]
    [InlineData("cifar32_g8_k4096.yaml", 8, 4096, 2, 32)]
    [InlineData("tiny64_k8192.yaml", 16, 8192, 1, 64)]
    public void TheProjectsOwnConfigsLoad(string file, int group, int codebookSize, int codebooks, int imageSize)
    {
        var config = ExperimentLoader.Load(Project(file));
        Assert.Equal(group, GaussianQuant(config.Model).CodebookDimension);
        Assert.Equal(codebookSize, GaussianQuant(config.Model).CodebookSize);
        Assert.Equal(codebooks, config.Model.CodebooksPerPosition);
        Assert.Equal(imageSize, config.Data!.ImageSize);
        Assert.Equal(imageSize, config.Model.Encoder.NominalImageSize);
        var (encoder, decoder) = (UNet(config.Model.Encoder), UNet(config.Model.Decoder));
        Assert.Equal(encoder.ChannelMultipliers, decoder.ChannelMultipliers);
        Assert.Equal(encoder with { ChannelMultipliers = [], AttentionResolutions = [] }, decoder with { ChannelMultipliers = [], AttentionResolutions = [] });
    }

    [Fact]
    public void TheCpuConfigSwitchesOffLpipsAndTheDiscriminator()
    {
        var config = ExperimentLoader.Load(Project("cifar32_k4096.yaml"));
        Assert.Equal(0.0, config.Model.Loss!.PerceptualWeight);
        Assert.False(config.Model.Loss.UsesDiscriminator);
        Assert.Equal(2e-4, config.Model.BaseLearningRate);
        Assert.Equal(32, config.Data!.BatchSize);
        Assert.Equal([1, 2, 2], UNet(config.Model.Encoder).ChannelMultipliers);
        Assert.Equal(4, config.Model.Encoder.DownsamplingFactor);
        Assert.Equal(5000, config.Trainer.MaxSteps);
    }

    [Fact]
    public void OverridesReachTheTypedOptionsThroughTheDecoderInterpolation()
    {
        var config = ExperimentLoader.Load(Project("cifar32_k4096.yaml"),
            ["model.params.encoder_config.params.ch=64", "model.params.regularizer_config.params.n_samples=1024", "data.params.batch_size=8"]);
        Assert.Equal(64, UNet(config.Model.Encoder).Channels);
        Assert.Equal(64, UNet(config.Model.Decoder).Channels);
        Assert.Equal(1024, GaussianQuant(config.Model).CodebookSize);
        Assert.Equal(8, config.Data!.BatchSize);
    }

    [Fact]
    public void AnInferenceOnlyConfigNeedsNoLossDataOrTrainer()
    {
        var config = ExperimentLoader.Load(Fixture("small_model.yaml"));
        Assert.Null(config.Model.Loss);
        Assert.Null(config.Data);
        Assert.Null(config.Trainer.MaxSteps);
        Assert.Equal(2, config.Model.CodebooksPerPosition);
        Assert.Equal(42, GaussianQuant(config.Model).Seed);
    }

    [Theory]
    [InlineData("unknown_key.yaml", ":12:24: unknown key 'model.params.encoder_config.params.num_res_block'")]
    [InlineData("unknown_target.yaml", "unknown target 'pit.quantization.gaussian.GaussianQuantiser'")]
    public void UnknownKeysAndTargetsAreErrorsNamingThePathAndFile(string file, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ExperimentLoader.Load(Fixture(file)));
        Assert.StartsWith(Fixture(file), error.Message);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("model.params.regularizer_config.target=pit.quantization.gaussian.GaussianQuantRegularizer2", "missing required key 'model.params.regularizer_config.params.codebook_size'")]
    [InlineData("model.params.regularizer_config.params.n_samples=1000", "n_samples: must be a power of two")]
    [InlineData("model.params.regularizer_config.params.group=3", "group: 3 does not divide the 8 latent channels")]
    [InlineData("model.params.regularizer_config.params.format=blc", "the UNet encoder gives bchw latents, but the GaussianQuant regularizer takes blc")]
    [InlineData("model.params.regularizer_config.params.format=nchw", "'nchw' is not a latent layout")]
    [InlineData("model.params.encoder_config.params.attn_type=linear", "attn_type: 'linear' is not supported")]
    [InlineData("model.params.encoder_config.params.double_z=false", "double_z: true")]
    [InlineData("model.params.encoder_config.params.ch=48", "multiple of 32")]
    [InlineData("model.params.encoder_config.params.ch=1e2", "expected an integer, found '100'")]
    [InlineData("model.params.encoder_config.params.padding_mode=reflect", "only 'zeros' padding is supported")]
    [InlineData("model.params.decoder_config.params={ch: 32, ch_mult: [1, 2], num_res_blocks: 1, attn_resolutions: [], in_channels: 3, out_ch: 3, resolution: 16, z_channels: 8, tanh_out: true}",
        "tanh_out: only false is supported")]
    [InlineData("model.params.decoder_config.params.tanh_out=true", "'model.params.decoder_config.params' is a value, not a mapping")] // still an interpolation when overrides apply
    [InlineData("model.params.latent_stats=true", "latent standardisation is not supported")]
    [InlineData("model.params.optimizer_config.target=torch.optim.SGD", "only the default optimizer (Adam)")]
    [InlineData("model.base_learning_rate=fast", "expected a number, found the string 'fast'")]
    [InlineData("model.params.encoder_config.params=null", "missing required key 'model.params.encoder_config.params.ch'")]
    [InlineData("lightning.trainer.precision=16", "only 32-bit training is supported")]
    [InlineData("lightning.trainer.accumulate_grad_batches=4", "accumulate_grad_batches: only 1 is supported")]
    [InlineData("lightning.strategy=ddp", "unknown key 'lightning.strategy'")]
    [InlineData("data.params.batch_size=8", "missing required key 'data.target'")]
    [InlineData("extra=1", "unknown key 'extra'")]
    // Values gq train refused but gq info accepted (issue 9), and sizes that would allocate without bound.
    [InlineData("model.params.regularizer_config.params.beta=.nan", "beta: must be a finite number")]
    [InlineData("model.params.regularizer_config.params.n_samples=1073741824", "n_samples: must be at most 16777216")]
    [InlineData("model.params.encoder_config.params.ch_mult=[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]",
        "ch_mult: has 40 levels; at most 16")]
    [InlineData("model.params.encoder_config.params.ch=1073741824", "encoder_config.params: the encoder and decoder would have")]
    [InlineData("model.params.encoder_config.params.num_res_blocks=100000", "GQ_MAX_MODEL_BYTES raises the limit")]
    public void UnsupportedOrWrongValuesAreClearErrors(string assignment, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ExperimentLoader.Load(Fixture("small_model.yaml"), [assignment]));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("model.params.regularizer_config.target=pit.quantization.gaussian.GaussianQuantRegularizer2", "model.params.regularizer_config.params.dim_idx=2", "dim_idx: only 1")]
    [InlineData("model.params.loss_config.params.regularization_weights.kl=0.64", "model.params.loss_config.params.dims=2", "'kl' is not a loss term of the GaussianQuant regularizer")]
    [InlineData("model.params.loss_config.params.disc_loss=wasserstein", "model.params.loss_config.params.dims=2", "'wasserstein' is not a discriminator loss")]
    [InlineData("data.params.train.target=pit.data.Other", "data.params.batch_size=8", "unknown target 'pit.data.Other'")]
    public void UnsupportedValuesInTheFullConfigsAreClearErrors(string first, string second, string message)
    {
        string[] overrides = first.Contains("GaussianQuantRegularizer2")
            ? [first, "model.params.regularizer_config.params={dim: 16, codebook_size: 4096}", second]
            : [first, second];
        var error = Assert.Throws<ConfigException>(() => ExperimentLoader.Load(Project("cifar32_k4096.yaml"), overrides));
        Assert.Contains(message, error.Message);
    }

    private static UNetOptions UNet(BackboneOptions backbone) => Assert.IsType<UNetOptions>(backbone);

    private static GaussianQuantizerOptions GaussianQuant(ModelConfig model) => Assert.IsType<GaussianQuantizerOptions>(model.Quantizer);
}
