namespace GaussQuant.Config;

/// <summary>
/// The reference implementation's class paths (<c>target:</c> values) that GaussQuant understands, and those it
/// knows but deliberately does not build, with the reason. Anything else is an unknown target.
/// </summary>
internal static class TargetRegistry
{
    public const string Autoencoder = "pit.models.autoencoder.AutoencodingEngine";
    public const string UNetEncoder = "pit.modules.unet.Encoder";
    public const string UNetDecoder = "pit.modules.unet.Decoder";
    public const string StridedGaussianQuant = "pit.quantization.gaussian.GaussianQuantRegularizer";
    public const string ContiguousGaussianQuant = "pit.quantization.gaussian.GaussianQuantRegularizer2";
    public const string LpipsWithDiscriminator = "pit.modules.losses.discriminator_loss.GeneralLPIPSWithDiscriminator";
    public const string PatchDiscriminator = "pit.modules.lpips.model.model.NLayerDiscriminator";
    public const string ImageDataModule = "pit.data.ImageDataModuleFromConfig";
    public const string ImageFolderDataset = "pit.data.SimpleDataset";
    public const string ImageLogger = "main.ImageLogger";

    private const string OnlyGaussianQuant = "GaussQuant implements Gaussian Quant only (GaussianQuantRegularizer, GaussianQuantRegularizer2)";
    private const string NoViT = "the ViT of the bsqvit configs is not implemented; GaussQuant builds the UNet (pit.modules.unet.Encoder/Decoder)";

    private static readonly Dictionary<string, string> KnownButUnsupported = new(StringComparer.Ordinal)
    {
        ["pit.modules.vit.TransformerEncoder"] = NoViT,
        ["pit.modules.vit.TransformerDecoder"] = NoViT,
        ["pit.quantization.vq.VQQuantizer"] = OnlyGaussianQuant,
        ["pit.quantization.fsq.FSQQuantizer"] = OnlyGaussianQuant,
        ["pit.quantization.lfq.LFQQuantizer"] = OnlyGaussianQuant,
        ["pit.quantization.bsq.BSQQuantizer"] = OnlyGaussianQuant,
        ["pit.quantization.gaussian.GaussianRegularizer"] =
            "the reference implementation itself no longer has this class (removed upstream), so its configs cannot be built there either",
    };

    /// <summary>
    /// Reads the <c>{target, params}</c> node at <paramref name="key"/> of <paramref name="owner"/>, checks the
    /// target is one of <paramref name="accepted"/> and returns it with its params.
    /// </summary>
    public static (string Target, ConfigSection Params) Read(ConfigSection owner, string key, params string[] accepted)
    {
        var node = owner.Section(key);
        var result = ReadTarget(node, accepted);
        node.RejectUnknown();
        return result;
    }

    /// <summary>Reads the <c>target</c> and <c>params</c> keys of <paramref name="node"/>, which may hold other keys too.</summary>
    public static (string Target, ConfigSection Params) ReadTarget(ConfigSection node, params string[] accepted)
    {
        string target = node.String("target");
        var parameters = node.Section("params");
        if (accepted.Contains(target)) return (target, parameters);
        throw node.Error("target", KnownButUnsupported.TryGetValue(target, out var reason)
            ? $"{target} is not supported: {reason}"
            : $"unknown target '{target}' (expected {string.Join(" or ", accepted)})");
    }
}
