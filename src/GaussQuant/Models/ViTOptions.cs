namespace GaussQuant.Models;

/// <summary>
/// Shape of the authors' ViT encoder and decoder (<c>pit.modules.vit.TransformerEncoder/Decoder</c> params, spec §1.7;
/// copied by them from BSQ-ViT). The decoder reuses the encoder's options. Defaults are the bsqvit configs'.
/// </summary>
public sealed record ViTOptions
{
    /// <summary>Side of the square images (<c>image_size</c>); the positional embedding is fixed to its patches.</summary>
    public int ImageSize { get; init; } = 256;

    /// <summary>Side of one patch, one token (<c>patch_size</c>): the downsampling factor.</summary>
    public int PatchSize { get; init; } = 8;

    /// <summary>Token width (<c>width</c>).</summary>
    public int Width { get; init; } = 768;

    /// <summary>Residual attention blocks (<c>layers</c>).</summary>
    public int Layers { get; init; } = 12;

    /// <summary>Attention heads (<c>heads</c>); they divide <see cref="Width"/>.</summary>
    public int Heads { get; init; } = 12;

    /// <summary>Hidden width of the blocks' MLP and the decoder's output FFN, in widths (<c>mlp_ratio</c>).</summary>
    public int MlpRatio { get; init; } = 4;

    /// <summary>c, the latent channels of one token (<c>z_channels</c>).</summary>
    public int LatentChannels { get; init; } = 16;

    /// <summary>Whether the encoder gives mean and log-variance (2c per token, <c>double_z</c>).</summary>
    public bool DoubleLatent { get; init; } = true;

    /// <summary>Tokens per image: (image side / patch side)².</summary>
    public int Tokens => GridSide * GridSide;

    /// <summary>Patches per image side.</summary>
    public int GridSide => ImageSize / PatchSize;

    /// <summary>Values of one patch: 3 · patch².</summary>
    public int PatchValues => 3 * PatchSize * PatchSize;

    /// <exception cref="ArgumentException">when the options cannot build a network.</exception>
    public void Validate()
    {
        if (PatchSize < 1 || ImageSize < PatchSize || ImageSize % PatchSize != 0)
            throw new ArgumentException($"the image size ({ImageSize}) must be a positive multiple of the patch size ({PatchSize})");
        if (Width < 1 || Heads < 1 || Width % Heads != 0)
            throw new ArgumentException($"the width ({Width}) must be a positive multiple of the number of heads ({Heads})");
        if (Layers < 0 || MlpRatio < 1 || LatentChannels < 1)
            throw new ArgumentException($"layers ({Layers}) must be ≥ 0, mlp_ratio ({MlpRatio}) and z_channels ({LatentChannels}) positive");
    }
}
