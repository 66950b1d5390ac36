using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>
/// The shape of an encoder or decoder backbone (UNet, ViT): what the rest of the model needs to know about it without
/// building it. The autoencoder, the pipelines, <c>gq info</c> and the size limits use only this surface, so a new backbone
/// is its options, its two modules and one line per module in the target registry.
/// </summary>
public abstract record BackboneOptions
{
    /// <summary>c, the latent channels of one position (<c>z_channels</c>).</summary>
    public int LatentChannels { get; init; } = 16;

    /// <summary>Whether the encoder gives mean and log-variance (2c channels, <c>double_z</c>) rather than the latent itself; the decoder ignores it.</summary>
    public bool DoubleLatent { get; init; } = true;

    /// <summary>What the backbone is, for messages and <c>gq info</c> (<c>UNet</c>, <c>ViT</c>).</summary>
    public abstract string Architecture { get; }

    /// <summary>f: image side / latent side (the ViT's patch side).</summary>
    public abstract int DownsamplingFactor { get; }

    /// <summary>The square image side the config is made for: the default preprocessing size.</summary>
    public abstract int NominalImageSize { get; }

    /// <summary>How the encoder gives and the decoder takes the latent: [B, C, h, w] or [B, L, C].</summary>
    public abstract LatentLayout Layout { get; }

    /// <summary>A one-line description of the shape, for <c>gq info</c>.</summary>
    public abstract string Summary { get; }

    /// <summary>The one square side the network takes (the ViT's fixed positional embedding); null when any multiple of the factor fits.</summary>
    public virtual int? FixedImageSize => null;

    /// <summary>Null when images of <paramref name="height"/> × <paramref name="width"/> pixels fit the network, else why not.</summary>
    public string? ProblemWithImageSize(long height, long width)
    {
        if (FixedImageSize is int side)
            return height == side && width == side ? null
                : $"the {Architecture}'s positional embedding fits {side}x{side} images only, got {width}x{height}";
        return height > 0 && width > 0 && height % DownsamplingFactor == 0 && width % DownsamplingFactor == 0 ? null
            : $"each image side must be a positive multiple of the model's downsampling factor {DownsamplingFactor}, got {width}x{height}";
    }

    /// <summary>Bytes of activations one inference pass holds at once for one image of this size (an estimate).</summary>
    public abstract double ActivationBytesPerImage(double height, double width);

    /// <summary>Parameters of the encoder these options build, worked out without building it.</summary>
    public abstract double EncoderParameters();

    /// <summary>Parameters of the decoder these options build, worked out without building it.</summary>
    public abstract double DecoderParameters();

    public abstract EncoderBackbone CreateEncoder(Device? device = null);

    public abstract DecoderBackbone CreateDecoder(Device? device = null);

    /// <exception cref="ArgumentException">naming the first option that cannot build a network.</exception>
    public abstract void Validate();

    /// <summary>
    /// The quantizer's token indices in the backbone's layout → the token file's [B, n, h, w]. Identity for a bchw
    /// backbone; a blc one turns [B, L, n] into the patch grid, row-major.
    /// </summary>
    public virtual Tensor IndicesToTokenGrid(Tensor indices) => indices;

    /// <summary>The inverse of <see cref="IndicesToTokenGrid"/>: [B, n, h, w] → the indices the quantizer takes.</summary>
    public virtual Tensor TokenGridToIndices(Tensor grid) => grid;
}
