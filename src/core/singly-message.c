/* placeholder: being written */
#include "config.h"
#include "singly-message.h"
