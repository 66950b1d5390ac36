using GaussQuant.Config;

namespace GaussQuant.Models;

/// <summary>Maps the params of <c>pit.modules.vit.TransformerEncoder</c> / <c>TransformerDecoder</c> onto <see cref="ViTOptions"/>.</summary>
internal static class ViTTargets
{
    public static BackboneOptions ReadEncoder(ConfigSection parameters) => Read(parameters, isDecoder: false);

    public static BackboneOptions ReadDecoder(ConfigSection parameters) => Read(parameters, isDecoder: true);

    private static ViTOptions Read(ConfigSection p, bool isDecoder)
    {
        var options = new ViTOptions
        {
            ImageSize = p.Int("image_size", 256),
            PatchSize = p.Int("patch_size", 8),
            Width = p.Int("width", 768),
            Layers = p.Int("layers", 12),
            Heads = p.Int("heads", 12),
            MlpRatio = p.Int("mlp_ratio", 4),
            LatentChannels = p.Int("z_channels", 16),
            // The decoder receives the encoder's params by interpolation; double_z means nothing to it.
            DoubleLatent = isDecoder || p.Bool("double_z", true),
        };
        if (isDecoder) p.Ignore("double_z");
        p.Require(p.Double("drop_rate", 0.0) == 0.0, "drop_rate", "only 0 (no dropout, as in every released config) is supported");
        p.Require(p.Int("num_frames", 1) == 1, "num_frames", "only images (1 frame) are supported");
        p.RejectUnknown();
        p.Require(options.PatchSize > 0, "patch_size", "must be positive");
        p.Require(options.ImageSize >= options.PatchSize && options.ImageSize % options.PatchSize == 0, "image_size",
            $"must be a positive multiple of patch_size ({options.PatchSize})");
        p.Require(options.Heads > 0, "heads", "must be positive");
        p.Require(options.Width > 0 && options.Width % options.Heads == 0, "width", $"must be a positive multiple of heads ({options.Heads})");
        p.Require(options.Layers >= 0, "layers", "must be at least 0");
        p.Require(options.MlpRatio > 0, "mlp_ratio", "must be positive");
        p.Require(options.LatentChannels > 0, "z_channels", "must be positive");
        return options;
    }
}
