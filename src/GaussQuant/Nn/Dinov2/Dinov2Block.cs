using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn.Dinov2;

/// <summary>
/// timm's ViT <c>Block</c> as DINOv2 configures it: x + ls1(attn(norm1(x))), then x + ls2(mlp(norm2(x))); LayerNorm
/// eps 1e-6, no dropout or drop path (inference only). Without LayerScale the branches are added unscaled.
/// </summary>
public sealed class Dinov2Block : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm1")]
    private readonly LayerNorm attentionNorm;
    [ComponentName(Name = "attn")]
    private readonly Dinov2Attention attention;
    [ComponentName(Name = "ls1")]
    private readonly LayerScale? attentionScale;
    [ComponentName(Name = "norm2")]
    private readonly LayerNorm mlpNorm;
    [ComponentName(Name = "mlp")]
    private readonly Dinov2Mlp mlp;
    [ComponentName(Name = "ls2")]
    private readonly LayerScale? mlpScale;

    public Dinov2Block(Dinov2Options options, Device? device = null) : base(nameof(Dinov2Block))
    {
        int width = options.EmbeddingDimension;
        attentionNorm = nn.LayerNorm(width, Dinov2Options.LayerNormEpsilon, device: device);
        attention = new Dinov2Attention(width, options.Heads, device);
        mlpNorm = nn.LayerNorm(width, Dinov2Options.LayerNormEpsilon, device: device);
        mlp = new Dinov2Mlp(width, options.MlpHiddenDimension, options.GatedMlp, device);
        if (options.LayerScale)
        {
            attentionScale = new LayerScale(width, device);
            mlpScale = new LayerScale(width, device);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var attended = tokens.add(Scaled(attentionScale, attention.call(attentionNorm.call(tokens))));
        return attended.add(Scaled(mlpScale, mlp.call(mlpNorm.call(attended)))).MoveToOuterDisposeScope();
    }

    private static Tensor Scaled(LayerScale? scale, Tensor branch) => scale is null ? branch : scale.call(branch);
}
