using GaussQuant.Config;
using GaussQuant.Models;
using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Experiments;

/// <summary>Builds the autoencoder a config describes (the reference's <c>instantiate_from_config(config.model)</c>).</summary>
public static class ModelFactory
{
    public static Autoencoder Create(ModelConfig config, Device? device = null, CodebookSearchOptions? searchOptions = null,
        ModelParts parts = ModelParts.All) =>
        new(config.Encoder, config.Decoder, config.Quantizer, device, searchOptions, parts) { OutputClampRange = config.OutputClampRange };
}
