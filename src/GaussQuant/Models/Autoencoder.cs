using GaussQuant.Quantization;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>
/// The tokenizer: UNet encoder → quantizer (Gaussian Quant, VQ, FSQ, LFQ, BSQ, or a continuous regularizer) → UNet
/// decoder (the authors' <c>AutoencodingEngine</c>, which has no
/// quant_conv/post_quant_conv). Children are named <c>encoder</c>, <c>decoder</c> and <c>regularization</c>, so the
/// state dict uses the authors' keys. Images are float32 [B, 3, H, W] in [−1, 1] with H and W multiples of
/// <see cref="DownsamplingFactor"/>; decoded images are not clamped (as the reference's <c>decode</c>).
/// </summary>
public sealed class Autoencoder : nn.Module
{
    [ComponentName(Name = "encoder")]
    private readonly Encoder encoder;
    [ComponentName(Name = "decoder")]
    private readonly Decoder decoder;
    [ComponentName(Name = "regularization")]
    private readonly Quantizer quantizer;

    public Autoencoder(UNetOptions encoderOptions, UNetOptions decoderOptions, QuantizerOptions quantizerOptions,
        Device? device = null, CodebookSearchOptions? searchOptions = null) : base(nameof(Autoencoder))
    {
        ArgumentNullException.ThrowIfNull(quantizerOptions);
        if (encoderOptions.DoubleLatent != quantizerOptions.TakesMoments)
            throw new ArgumentException(quantizerOptions.TakesMoments
                ? $"a {quantizerOptions.Kind} encoder must output mean and log-variance: set double_z to true"
                : $"a {quantizerOptions.Kind} encoder outputs the latent itself: set double_z to false");
        if (encoderOptions.LatentChannels != decoderOptions.LatentChannels)
            throw new ArgumentException(
                $"the encoder produces {encoderOptions.LatentChannels} latent channels but the decoder expects {decoderOptions.LatentChannels}");
        if (encoderOptions.DownsamplingFactor != decoderOptions.DownsamplingFactor)
            throw new ArgumentException(
                $"the encoder downsamples by {encoderOptions.DownsamplingFactor} but the decoder upsamples by {decoderOptions.DownsamplingFactor}");
        encoder = new Encoder(encoderOptions, device);
        decoder = new Decoder(decoderOptions, device);
        quantizer = quantizerOptions.Create(encoderOptions.LatentChannels, searchOptions);
        RegisterComponents();
    }

    public Encoder Encoder => encoder;

    public Decoder Decoder => decoder;

    public Quantizer Quantizer => quantizer;

    /// <summary>Where the weights live (inputs are expected there too).</summary>
    public Device Device => decoder.parameters().First().device;

    /// <summary>f: image side / latent side.</summary>
    public int DownsamplingFactor => encoder.Options.DownsamplingFactor;

    /// <summary>The format the encoder and decoder compute in; inputs and outputs stay float32 either way.</summary>
    public InferencePrecision Precision { get; private set; } = InferencePrecision.Fp32;

    /// <summary>
    /// Converts the encoder's and decoder's weights to <paramref name="precision"/> (normalisation layers stay
    /// float32); for inference only. The quantizer is not touched: posterior and search always compute in float32.
    /// </summary>
    public void UsePrecision(InferencePrecision precision)
    {
        NetworkPrecision.Apply(encoder, precision);
        NetworkPrecision.Apply(decoder, precision);
        Precision = precision;
    }

    /// <summary>Encoder output: mean and log-variance, [B, 2c, H/f, W/f], or the latent [B, c, H/f, W/f] (double_z false).</summary>
    public Tensor EncodeMoments(Tensor images)
    {
        RequireMultipleOfFactor(images);
        return InPrecision(encoder, images);
    }

    /// <summary>Images → tokens, quantized latent, posterior mean and a sample.</summary>
    public QuantizedLatent Quantize(Tensor images, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var moments = EncodeMoments(images);
        var result = quantizer.Quantize(moments, generator);
        scope.MoveToOuter(result.Indices, result.Quantized, result.Mean, result.Sample);
        return result;
    }

    /// <summary>Latent [B, c, h, w] → images [B, 3, h·f, w·f] (not clamped).</summary>
    public Tensor Decode(Tensor latent) => InPrecision(decoder, latent);

    /// <summary>Tokens [B, n, h, w] → images, through exactly the quantized latent <see cref="Quantize"/> produced.</summary>
    public Tensor DecodeTokens(Tensor indices)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return scope.MoveToOuter(Decode(quantizer.Dequantize(indices.to(Device))));
    }

    /// <summary>Images → the continuous latent (posterior mean and a sample), for every kind of regularizer.</summary>
    public ContinuousLatent EncodeContinuous(Tensor images, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var result = quantizer.Continuous(EncodeMoments(images), generator);
        scope.MoveToOuter(result.Mean, result.Sample);
        return result;
    }

    /// <summary>Encode and decode in one of the three modes (<see cref="ReconstructionMode.Vq"/> needs a quantizer that makes tokens).</summary>
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
        return scope.MoveToOuter(Decode(chosen));
    }

    /// <summary>Runs <paramref name="network"/> in <see cref="Precision"/> on a float32 input, returning float32.</summary>
    private Tensor InPrecision(nn.Module<Tensor, Tensor> network, Tensor input)
    {
        if (Precision == InferencePrecision.Fp32)
            return network.call(input);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(network.call(input.to(NetworkPrecision.ScalarTypeOf(Precision))).to(ScalarType.Float32));
    }

    private void RequireMultipleOfFactor(Tensor images)
    {
        int factor = DownsamplingFactor;
        if (images.dim() != 4)
            throw new ArgumentException($"images must be shaped [B, 3, H, W], got [{string.Join(", ", images.shape)}]");
        long height = images.shape[2], width = images.shape[3];
        if (height % factor != 0 || width % factor != 0 || height == 0 || width == 0)
            throw new ArgumentException(
                $"image sides must be positive multiples of the model's downsampling factor {factor}, got {height}×{width}; " +
                "resize or crop the images (or let the default preprocessing do it)");
    }
}
