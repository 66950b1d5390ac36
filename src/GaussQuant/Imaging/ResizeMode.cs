namespace GaussQuant.Imaging;

/// <summary>How an image is brought to the size a model takes (see <see cref="ImagePreprocessing"/>).</summary>
public enum ResizeMode
{
    /// <summary>The authors' evaluation transform: shorter side to S (antialiased bilinear), then the centre S×S.</summary>
    ResizeCenterCrop,

    /// <summary>Shorter side to S, nothing cropped: for training, where a random crop follows.</summary>
    ResizeShorterSide,

    /// <summary>Both sides to S, ignoring the aspect ratio: the authors' README inference snippet, <c>Resize((S, S))</c>.</summary>
    Stretch,

    /// <summary>The image as it is; its sides must be multiples of the model's downsampling factor.</summary>
    None,
}
