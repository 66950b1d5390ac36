using GaussQuant.Native;
using GaussQuant.Quantization;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>
/// The tokenizer: encoder backbone (UNet or ViT) → quantizer (Gaussian Quant, VQ, FSQ, LFQ, BSQ, or a continuous
/// regularizer) → decoder backbone (the authors' <c>AutoencodingEngine</c>, which has no quant_conv/post_quant_conv).
/// Children are named <c>encoder</c>, <c>decoder</c> and <c>regularization</c>, so the state dict uses the authors' keys.
/// Images are float32 [B, 3, H, W] in [−1, 1] of a size the encoder takes (<see cref="BackboneOptions.ProblemWithImageSize"/>).
/// Latents keep the backbone's layout ([B, c, h, w] or [B, L, c]); tokens always come and go as [B, n, h, w].
/// <see cref="OutputClampRange"/> (<c>clamp_range</c>) clamps where the authors clamp: <see cref="DecodeTokens"/> (their
/// <c>dequant</c>) and <see cref="Reconstruct"/> and the training pass (their <c>forward</c>); <see cref="Decode"/> (their
/// <c>decode</c>, which eval.py uses) does not.
/// Built with only some <see cref="ModelParts"/>, the missing network has no module (and no state-dict keys); using it
/// throws, while the shapes it describes (<see cref="EncoderOptions"/>, <see cref="DecoderOptions"/>) stay known.
/// </summary>
public sealed class Autoencoder : nn.Module
{
    // Null when the part was left out; TorchSharp registers no component for a null field.
    [ComponentName(Name = "encoder")]
    private readonly EncoderBackbone? encoder;
    [ComponentName(Name = "decoder")]
    private readonly DecoderBackbone? decoder;
    [ComponentName(Name = "regularization")]
    private readonly Quantizer quantizer;

    public Autoencoder(BackboneOptions encoderOptions, BackboneOptions decoderOptions, QuantizerOptions quantizerOptions,
        Device? device = null, CodebookSearchOptions? searchOptions = null, ModelParts parts = ModelParts.All) : base(nameof(Autoencoder))
    {
        ArgumentNullException.ThrowIfNull(encoderOptions);
        ArgumentNullException.ThrowIfNull(decoderOptions);
        ArgumentNullException.ThrowIfNull(quantizerOptions);
        if (encoderOptions.DoubleLatent != quantizerOptions.TakesMoments)
            throw new ArgumentException(quantizerOptions.TakesMoments
                ? $"a {quantizerOptions.Kind} encoder must output mean and log-variance: set double_z to true"
                : $"a {quantizerOptions.Kind} encoder outputs the latent itself: set double_z to false");
        if (encoderOptions.Architecture != decoderOptions.Architecture)
            throw new ArgumentException(
                $"the encoder is a {encoderOptions.Architecture} and the decoder a {decoderOptions.Architecture}; both must be the same backbone");
        if (encoderOptions.LatentChannels != decoderOptions.LatentChannels)
            throw new ArgumentException(
                $"the encoder produces {encoderOptions.LatentChannels} latent channels but the decoder expects {decoderOptions.LatentChannels}");
        if (encoderOptions.DownsamplingFactor != decoderOptions.DownsamplingFactor)
            throw new ArgumentException(
                $"the encoder downsamples by {encoderOptions.DownsamplingFactor} but the decoder upsamples by {decoderOptions.DownsamplingFactor}");
        if (quantizerOptions.InputLayout != encoderOptions.Layout)
            throw new ArgumentException(
                $"the {encoderOptions.Architecture} gives {Name(encoderOptions.Layout)} latents but the {quantizerOptions.Kind} regularizer takes {Name(quantizerOptions.InputLayout)}");
        if ((parts & ModelParts.All) == 0)
            throw new ArgumentException("an autoencoder needs its encoder, its decoder or both", nameof(parts));
        EncoderOptions = encoderOptions;
        DecoderOptions = decoderOptions;
        encoder = parts.HasFlag(ModelParts.Encoder) ? encoderOptions.CreateEncoder(device) : null;
        decoder = parts.HasFlag(ModelParts.Decoder) ? decoderOptions.CreateDecoder(device) : null;
        quantizer = quantizerOptions.Create(encoderOptions.LatentChannels, searchOptions);
        RegisterComponents();
    }

    /// <summary>Range decoded images are clamped to (<c>clamp_range</c>); null: no clamp (every sd3unet config).</summary>
    public (double Min, double Max)? OutputClampRange { get; init; }

    /// <summary>The networks this instance holds.</summary>
    public ModelParts Parts => (encoder is null ? 0 : ModelParts.Encoder) | (decoder is null ? 0 : ModelParts.Decoder);

    public BackboneOptions EncoderOptions { get; }

    public BackboneOptions DecoderOptions { get; }

    /// <exception cref="InvalidOperationException">when the model was built without its encoder.</exception>
    public EncoderBackbone Encoder => encoder ?? throw Missing("encoder", "encoding images");

    /// <exception cref="InvalidOperationException">when the model was built without its decoder.</exception>
    public DecoderBackbone Decoder => decoder ?? throw Missing("decoder", "decoding latents or tokens");

    public Quantizer Quantizer => quantizer;

    /// <summary>Where the weights live (inputs are expected there too).</summary>
    public Device Device => ((nn.Module?)encoder ?? decoder!).parameters().First().device;

    /// <summary>f: image side / latent side.</summary>
    public int DownsamplingFactor => EncoderOptions.DownsamplingFactor;

    /// <summary>The format the encoder and decoder compute in; inputs and outputs stay float32 either way.</summary>
    public InferencePrecision Precision { get; private set; } = InferencePrecision.Fp32;

    /// <summary>
    /// Converts the encoder's and decoder's weights to <paramref name="precision"/> (normalisation layers stay
    /// float32); for inference only. The quantizer is not touched: posterior and search always compute in float32.
    /// </summary>
    public void UsePrecision(InferencePrecision precision)
    {
        if (encoder is not null) NetworkPrecision.Apply(encoder, precision);
        if (decoder is not null) NetworkPrecision.Apply(decoder, precision);
        Precision = precision;
    }

    /// <summary>Encoder output in the backbone's layout: mean and log-variance (2c channels), or the latent itself (double_z false).</summary>
    /// <exception cref="ArgumentException">when the images are not [B, 3, H, W] of a size the encoder takes.</exception>
    public Tensor EncodeMoments(Tensor images)
    {
        RequireImageSize(images);
        // bf16 runs channels-last: on AMX, oneDNN's bf16 convolutions take NHWC maps as they are (1070 GFLOP per CPU s
        // for the UNet's 3×3 convolutions on an AMX Xeon) but reorder NCHW ones around every call (350), 4.5× against
        // 2.0× fp32 for the whole 256² encoder. fp32 stays NCHW, so its tokens stay exactly those its fixtures hold.
        var encoderInput = Encoder.training || Precision == InferencePrecision.Fp32 ? images : ChannelsLast(images);
        return InPrecision(Encoder, encoderInput).contiguous();
    }

    /// <summary>Images → tokens [B, n, h, w], quantized latent, posterior mean and a sample.</summary>
    public QuantizedLatent Quantize(Tensor images, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var result = QuantizeMoments(EncodeMoments(images), generator);
        scope.MoveToOuter(result.Indices, result.Quantized, result.Mean, result.Sample);
        return result;
    }

    /// <summary>The encoder's output → tokens [B, n, h, w] (the file layout, whatever the backbone's), quantized latent, mean and sample.</summary>
    public QuantizedLatent QuantizeMoments(Tensor moments, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var result = CollectionPause.Run(() => quantizer.Quantize(moments, generator));
        var tokens = result with { Indices = EncoderOptions.IndicesToTokenGrid(result.Indices) };
        scope.MoveToOuter(tokens.Indices, tokens.Quantized, tokens.Mean, tokens.Sample);
        return tokens;
    }

    /// <summary>Latent in the backbone's layout → images [B, 3, h·f, w·f], not clamped (the authors' <c>decode</c>).</summary>
    public Tensor Decode(Tensor latent)
    {
        using var scope = NewDisposeScope();
        var decoderInput = Decoder.training ? latent : ChannelsLast(latent);
        return scope.MoveToOuter(InPrecision(Decoder, decoderInput).contiguous());
    }

    /// <summary>
    /// Tokens [B, n, h, w] → images, through exactly the quantized latent <see cref="Quantize"/> produced, clamped to
    /// <see cref="OutputClampRange"/> (the authors' <c>dequant</c>).
    /// </summary>
    public Tensor DecodeTokens(Tensor indices)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latent = CollectionPause.Run(() => quantizer.Dequantize(EncoderOptions.TokenGridToIndices(indices.to(Device))));
        return scope.MoveToOuter(ClampOutput(Decode(latent)));
    }

    /// <summary>Decoded images clamped to <see cref="OutputClampRange"/>, as the authors' <c>forward</c> and <c>dequant</c> do; unchanged without one.</summary>
    public Tensor ClampOutput(Tensor images) => OutputClampRange is var (min, max) ? images.clamp(min, max) : images;

    /// <summary>Images → the continuous latent (posterior mean and a sample), for every kind of regularizer.</summary>
    public ContinuousLatent EncodeContinuous(Tensor images, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var result = CollectionPause.Run(() => quantizer.Continuous(EncodeMoments(images), generator));
        scope.MoveToOuter(result.Mean, result.Sample);
        return result;
    }

    /// <summary>
    /// Encode and decode in one of the three modes (<see cref="ReconstructionMode.Vq"/> needs a quantizer that makes
    /// tokens), clamped to <see cref="OutputClampRange"/> as the authors' <c>forward</c>.
    /// </summary>
    public Tensor Reconstruct(Tensor images, ReconstructionMode mode, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var chosen = mode switch
        {
            ReconstructionMode.Vq => Quantize(images, generator).Quantized,
            ReconstructionMode.Mean => EncodeContinuous(images, generator).Mean,
            ReconstructionMode.Sample => EncodeContinuous(images, generator).Sample,
            _ => throw new ArgumentException($"unknown reconstruction mode {mode}"),
        };
        return scope.MoveToOuter(ClampOutput(Decode(chosen)));
    }

    /// <summary>
    /// Runs <paramref name="network"/> in <see cref="Precision"/> on a float32 input, returning float32, with collections
    /// held off as the network's operators run (<see cref="CollectionPause"/>; the quantizer's calls above likewise).
    /// </summary>
    private Tensor InPrecision(nn.Module<Tensor, Tensor> network, Tensor input) => CollectionPause.Run(() =>
    {
        if (Precision == InferencePrecision.Fp32)
            return network.call(input);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(network.call(input.to(NetworkPrecision.ScalarTypeOf(Precision))).to(ScalarType.Float32));
    });

    /// <summary>
    /// A [B, c, h, w] map with channels-last strides, which LibTorch keeps through every layer: oneDNN convolves such
    /// maps as they are, where plain NCHW maps are reordered into its blocked layout and back around every convolution.
    /// Those transient copies set the UNet decoder's peak memory at 256² (batch 8: 2542 → 2341 MiB) at the same speed.
    /// In eval mode only: <see cref="Decode"/> for every decoding path (latent, tokens, reconstruction), so they compute
    /// alike, and <see cref="EncodeMoments"/> in bf16; training (train mode) keeps the NCHW numerics its runs and
    /// checkpoints were made with.
    /// </summary>
    private static Tensor ChannelsLast(Tensor map) =>
        map.dim() == 4 ? map.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : map;

    private void RequireImageSize(Tensor images)
    {
        if (images.dim() != 4)
            throw new ArgumentException($"images must be shaped [B, 3, H, W], got [{string.Join(", ", images.shape)}]");
        if (EncoderOptions.ProblemWithImageSize(images.shape[2], images.shape[3]) is { } problem)
            throw new ArgumentException($"{problem}; resize or crop the images (or let the default preprocessing do it)");
    }

    private static InvalidOperationException Missing(string part, string use) =>
        new($"this model was loaded without its {part}, which {use} needs; load it with {nameof(ModelParts)}.{nameof(ModelParts.All)}");

    private static string Name(LatentLayout layout) => layout.ToString().ToLowerInvariant();
}
